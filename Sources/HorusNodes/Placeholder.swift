// HorusNodes: placeholder until the layer lands.
enum _HorusNodesPlaceholder {}
