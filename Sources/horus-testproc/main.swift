import HorusMemory
print("horus-testproc")
