print("horus-run: coming")
