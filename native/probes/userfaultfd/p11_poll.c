/* Item 11: poll() on the uffd */
#include "common.h"
#include <sys/epoll.h>
static void P(const char *label, int fd, short ev)
{
	struct pollfd p = {fd, ev, 0};
	int r = poll(&p, 1, 0);
	printf("[%s]   poll(%s, events=%#x, timeout 0) = %d revents=%#x\n", WHO, label, ev, r, p.revents);
}
static void E(const char *label, int fd)
{
	int ep = epoll_create1(0);
	struct epoll_event e = {.events = EPOLLIN | EPOLLOUT | EPOLLPRI | EPOLLRDHUP}, out;
	errno = 0;
	int r = epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
	int n = epoll_wait(ep, &out, 1, 0);
	printf("[%s]   epoll(%s): ctl=%d %s wait=%d events=%#x\n", WHO, label, r, r ? en(errno) : "", n, n > 0 ? out.events : 0);
	close(ep);
}
static volatile int done;
static void *toucher(void *a) { (void)*(volatile char *)a; done = 1; return NULL; }
static char src[4096] __attribute__((aligned(4096)));
static void run(int nonblock)
{
	printf("[%s] -- uffd opened %s\n", WHO, nonblock ? "O_NONBLOCK" : "blocking (no O_NONBLOCK)");
	int U = new_uffd(O_CLOEXEC | (nonblock ? O_NONBLOCK : 0));
	P("before UFFDIO_API", U, POLLIN);
	P("before UFFDIO_API", U, POLLIN | POLLOUT | POLLPRI);
	uffd_api(U, 0);
	P("after API, nothing pending", U, POLLIN);
	P("after API, nothing pending", U, POLLIN | POLLOUT | POLLPRI | POLLRDHUP);
	P("after API, nothing pending, events=0", U, 0);
	E("nothing pending", U);
	map_at(BASE, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, BASE, 2 * PG, 1, NULL);
	pthread_t t;
	done = 0;
	pthread_create(&t, NULL, toucher, (void *)BASE);
	usleep(200000);
	P("fault pending", U, POLLIN);
	P("fault pending", U, POLLIN | POLLOUT | POLLPRI | POLLRDHUP);
	P("fault pending, events=POLLOUT", U, POLLOUT);
	E("fault pending", U);
	struct uffd_msg m;
	int fl = fcntl(U, F_GETFL);
	fcntl(U, F_SETFL, fl | O_NONBLOCK);
	read(U, &m, 32);
	fcntl(U, F_SETFL, fl);
	P("fault read but unresolved", U, POLLIN);
	memset(src, 1, PG);
	ioctl(U, UFFDIO_COPY, &(struct uffdio_copy){.dst = BASE, .src = (unsigned long)src, .len = PG});
	pthread_join(t, NULL);
	P("fault resolved", U, POLLIN);
	close(U);
	munmap((void *)BASE, 2 * PG);
}
static void body(void) { run(0); run(1); }
int main(void) { setvbuf(stdout, NULL, _IOLBF, 0); run_both("p11_poll", body); return 0; }
