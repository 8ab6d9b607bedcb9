package dep

func Hello() string { return "hello" }
