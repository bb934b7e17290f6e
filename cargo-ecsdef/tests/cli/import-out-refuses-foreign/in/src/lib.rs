pub fn handwritten() {}
