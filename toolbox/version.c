/* Placeholder so libtoolbox.a exists before the toolbox does. */
#include "toolbox/toolbox.h"

int toolbox_interface_version(void) { return 0; }
