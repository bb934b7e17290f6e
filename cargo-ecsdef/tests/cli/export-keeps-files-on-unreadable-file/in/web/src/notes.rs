//! Notes
// ÿþ not UTF-8
