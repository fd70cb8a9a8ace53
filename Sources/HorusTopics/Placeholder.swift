// HorusTopics: placeholder until the layer lands.
enum _HorusTopicsPlaceholder {}
