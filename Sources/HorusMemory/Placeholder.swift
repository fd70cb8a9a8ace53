enum _Mem {}
