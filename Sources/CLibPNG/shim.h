// libpng's simplified API (png_image_write_to_file / png_image_begin_read_from_file).
#include <png.h>
