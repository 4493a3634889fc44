/* Sending protocol messages (host/protocol.h) on the channel: used by both
 * ends, and by the child only through calls its filter allows (write). */
#include "config.h"

#include "host/sandbox.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

int msg_send(int fd, uint32_t type, const void *payload, size_t len)
{
	if (len > MSG_MAX - sizeof(struct msg_header)) {
		errno = EMSGSIZE;
		return -1;
	}
	/* One writev is one packet on the SOCK_SEQPACKET channel, so header and
	 * payload arrive as one message, without a copy (this may run on a
	 * signal handler's small stack). */
	struct msg_header h = {.type = type, .length = (uint32_t)len};
	struct iovec iov[2] = {{&h, sizeof h}, {(void *)payload, len}};
	ssize_t n;
	do
		n = writev(fd, iov, len ? 2 : 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != sizeof h + len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

int msg_reply(int fd, uint32_t type, const void *payload, size_t len)
{
	if (len > MSG_MAX - sizeof(struct msg_header)) {
		errno = EMSGSIZE;
		return -1;
	}
	/* sendmsg with MSG_NOSIGNAL: a child that died before reading its reply
	 * must cost the host an EPIPE, never a SIGPIPE. */
	struct msg_header h = {.type = type, .length = (uint32_t)len};
	struct iovec iov[2] = {{&h, sizeof h}, {(void *)payload, len}};
	struct msghdr mh = {.msg_iov = iov, .msg_iovlen = len ? 2 : 1};
	ssize_t n;
	do
		n = sendmsg(fd, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != sizeof h + len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

int child_log(const struct sandbox_child *child, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
	return msg_send(child->channel_fd, MSG_LOG, line, len);
}

int child_send_exit(const struct sandbox_child *child, int status, const char *reason)
{
	struct msg_exit m;
	memset(&m, 0, sizeof m);
	m.status = status;
	if (child->status != NULL && child->status->pc_valid) {
		m.flags |= MSG_HAVE_PC;
		m.guest_pc = child->status->pc;
	}
	snprintf(m.reason, sizeof m.reason, "%s", reason ? reason : "");
	return msg_send(child->channel_fd, MSG_EXIT, &m, sizeof m);
}

int child_send_stats(const struct sandbox_child *child, const struct msg_stat *stats, size_t n)
{
	return msg_send(child->channel_fd, MSG_STATS, stats, n * sizeof *stats);
}

int child_trace(const struct sandbox_child *child, const struct trace_record *rec)
{
	/* One record per write: smaller than PIPE_BUF, so never torn. */
	ssize_t n;
	do
		n = write(child->trace_fd, rec, sizeof *rec);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof *rec ? 0 : -1;
}

void print_guest_text(FILE *f, const char *text, size_t len)
{
	for (size_t i = 0; i < len && text[i] != '\0'; i++) {
		unsigned char c = (unsigned char)text[i];
		/* The guest is not trusted with the user's terminal: no escape
		 * sequences, no carriage returns rewriting what the host said. */
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}
