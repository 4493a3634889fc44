/* toolbox: trap implementations in C. This header is the module's face. */
#ifndef VM68K_TOOLBOX_H
#define VM68K_TOOLBOX_H

/* The toolbox interface version; bumped when this header changes shape. */
int toolbox_interface_version(void);

#endif
