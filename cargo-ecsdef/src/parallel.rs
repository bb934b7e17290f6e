//! Work spread over the machine's cores, and memory freed off the path to a result: the two
//! threading helpers that discovery, the analysis and the export share. They depend on nothing
//! else in the crate, so each layer can use them without reaching up into another.

/// `f` over `items` on every core, results in the items' order.
///
/// Each worker takes the next few items from a shared counter until none are left, so that a
/// worker that drew cheap items, or had its core to itself, takes more; with a fixed share
/// each, the worker whose share cost more (or that shared its core with a background drop)
/// would keep the others waiting. The calling thread only waits: a worker per core keeps the
/// cores busier than the caller taking items too.
pub(crate) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    /// Items taken at a time.
    const TAKE: usize = 4;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if threads < 2 || items.len() < 2 {
        return items.iter().map(&f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let start = next.fetch_add(TAKE, std::sync::atomic::Ordering::Relaxed);
            let end = items.len().min(start + TAKE);
            if start >= end {
                break;
            }
            done.extend((start..end).map(|i| (i, f(&items[i]))));
        }
        done
    };
    let mut done = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(items.len().div_ceil(TAKE)))
            .map(|_| scope.spawn(work))
            .collect();
        let mut done = Vec::new();
        for worker in workers {
            done.extend(
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        done
    });
    done.sort_unstable_by_key(|&(index, _)| index);
    done.into_iter().map(|(_, result)| result).collect()
}

/// Whether [`drop_in_background`] leaves its values to the end of the process (see
/// [`leave_to_exit`]).
static LEAVE_TO_EXIT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// For a process that ends once its command is done (the `cargo-ecsdef` binary): from now on,
/// the big values the library would free on a background thread (its discovery, its analysis)
/// are never freed, the process's end gives their memory back at once. Freeing them on a
/// background thread still costs its CPU time, 1-2% of a run on a large workspace, on cores
/// the rendering of the files waits for.
pub fn leave_to_exit() {
    LEAVE_TO_EXIT.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Drops `value` on a thread of its own: freeing the syntax-derived data of a large workspace,
/// millions of small allocations, takes 10-20 ms that the caller need not wait for. When the
/// process ends first, the memory goes back with it; after [`leave_to_exit`], it is never
/// freed.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    if LEAVE_TO_EXIT.load(std::sync::atomic::Ordering::Relaxed) {
        std::mem::forget(value);
        return;
    }
    // When no thread can be started, `spawn` drops the closure, and the value with it, here.
    let _detached = std::thread::Builder::new()
        .name("ecsdef-drop".to_owned())
        .spawn(move || drop(value));
}

#[cfg(test)]
mod tests {
    use super::parallel_map;

    /// Whatever the number of items and whichever worker takes which, the results come in
    /// the items' order, each item's once.
    #[test]
    fn parallel_map_keeps_the_items_order() {
        for len in [0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 100, 1001] {
            let items: Vec<u64> = (0..len).collect();
            // Uneven costs, so that workers overtake each other.
            let results = parallel_map(&items, |&n| {
                let spin = if n % 7 == 0 { 20_000 } else { 10 };
                (0..spin).fold(n, |acc, i| std::hint::black_box(acc ^ i))
                    ^ (0..spin).fold(0, |acc, i| acc ^ i)
            });
            assert_eq!(results, items, "{len} items");
        }
    }
}
