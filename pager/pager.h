/* pager: guest memory made of real host page protection (see DESIGN.md,
 * "Guest address space"). This header is the module's face. */
#ifndef VM68K_PAGER_H
#define VM68K_PAGER_H

/* The pager's interface version; bumped when this header changes shape. */
int pager_interface_version(void);

#endif
