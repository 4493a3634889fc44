/* Placeholder translation unit so libpager.a exists before the pager does. */
#include "pager/pager.h"

int pager_interface_version(void) { return 0; }
