// HorusRecord: placeholder until the layer lands.
enum _HorusRecordPlaceholder {}
