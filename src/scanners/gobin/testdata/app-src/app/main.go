package main

import "example.com/dep"

func main() { println(dep.Hello()) }
