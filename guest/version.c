/* Placeholder so libguest.a exists before the CPU does. */
#include "guest/guest.h"

int guest_interface_version(void) { return 0; }
