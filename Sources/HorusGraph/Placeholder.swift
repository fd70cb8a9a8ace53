// HorusGraph: placeholder until the layer lands.
enum _HorusGraphPlaceholder {}
