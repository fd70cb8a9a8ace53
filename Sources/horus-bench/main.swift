print("horus-bench")
