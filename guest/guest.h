/* guest: the 68K machine. This header is the module's face. */
#ifndef VM68K_GUEST_H
#define VM68K_GUEST_H

/* The guest module's interface version; bumped when this header changes shape. */
int guest_interface_version(void);

#endif
