/* Item 12: fork() with registered VMAs, without (and, extra, with) UFFD_FEATURE_EVENT_FORK */
#include "common.h"
static char src[4096] __attribute__((aligned(4096)));
static void body(void)
{
	int U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, 0);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	map_at(BASE + 0x100000, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	int mfd = memfd_create("f", 0); ftruncate(mfd, 4 * PG);
	map_at(BASE + 0x200000, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd);
	uffd_reg(U, BASE, 4 * PG, 1, NULL);
	uffd_reg(U, BASE + 0x100000 + PG, 2 * PG, 3, NULL);   /* middle: split */
	uffd_reg(U, BASE + 0x200000, 4 * PG, 5, NULL);        /* MISSING|MINOR shmem */
	memset(src, 0x61, PG);
	ioctl(U, UFFDIO_COPY, &(struct uffdio_copy){.dst = BASE, .src = (unsigned long)src, .len = PG});
	smaps_range("parent before fork", BASE, BASE + 0x200000 + 4 * PG);
	fflush(stdout);
	pid_t c = fork();
	if (!c) {
		smaps_range("child", BASE, BASE + 0x200000 + 4 * PG);
		printf("[%s]   child: page0 (copied by parent) = %#x\n", WHO, *(volatile unsigned char *)BASE);
		printf("[%s]   child: page1 (missing in parent) read -> %#x (no block)\n", WHO, *(volatile unsigned char *)(BASE + PG));
		print_pagemap("child page1", BASE + PG);
		printf("[%s]   child: shmem page0 read -> %#x\n", WHO, *(volatile unsigned char *)(BASE + 0x200000));
		char p[64]; snprintf(p, sizeof p, "/proc/self/fdinfo/%d", U);
		int f = open(p, O_RDONLY); char b[256]; ssize_t n = read(f, b, 255); b[n > 0 ? n : 0] = 0;
		printf("[%s]   child: inherited uffd fd %d fdinfo: %s", WHO, U, strstr(b, "pending") ? strstr(b, "pending") : b);
		struct uffdio_register r = {.range = {BASE + 0x100000, PG}, .mode = 1};
		errno = 0; int rr = ioctl(U, UFFDIO_REGISTER, &r);
		printf("\n[%s]   child: UFFDIO_REGISTER via inherited uffd (parent's mm) on child addr = %d %s\n", WHO, rr, rr ? en(errno) : "");
		memset(src, 0x99, PG); /* child's private copy of src differs from parent's (0x61) */
		struct uffdio_copy cp = {.dst = BASE + 2 * PG, .src = (unsigned long)src, .len = PG};
		errno = 0; rr = ioctl(U, UFFDIO_COPY, &cp);
		printf("[%s]   child: UFFDIO_COPY via inherited uffd -> %d %s copy=%lld\n", WHO, rr, rr ? en(errno) : "", (long long)cp.copy);
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	print_pagemap("parent page2 after child's COPY via inherited uffd", BASE + 2 * PG);
	if (pagemap(BASE + 2 * PG) >> 63) printf("[%s]   parent page2 content = %#x (child src 0x99, parent src 0x61)\n", WHO, *(unsigned char *)(BASE + 2 * PG));
	smaps_range("parent VMA registered by child through inherited uffd", BASE + 0x100000, BASE + 0x100000 + 4 * PG);
	smaps_range("parent after fork", BASE, BASE + 4 * PG);
	struct uffd_msg m;
	errno = 0; ssize_t n = read(U, &m, 32);
	printf("[%s]   parent: read uffd after fork -> %zd %s\n", WHO, n, n < 0 ? en(errno) : "");
	close(U);

}
static int U3;
static volatile pid_t forked;
static void *forker(void *a)
{
	fflush(stdout);
	pid_t c = fork();
	if (!c) {
		smaps_range("EVENT_FORK child", BASE, BASE + 4 * PG);
		fflush(stdout);
		_exit(0);
	}
	forked = c;
	return NULL;
}
static void body_evfork(void)
{
	if (g_unpriv) { printf("[%s] EVENT_FORK not permitted unprivileged (EPERM in UFFDIO_API)\n", WHO); return; }
	U3 = new_uffd(O_CLOEXEC);
	uffd_api(U3, UFFD_FEATURE_EVENT_FORK);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U3, BASE, 4 * PG, 1, NULL);
	pthread_t t;
	pthread_create(&t, NULL, forker, NULL);
	usleep(200000);
	printf("[%s]   fork() in thread after 200ms: returned=%d (0 = still blocked)\n", WHO, forked);
	struct uffd_msg m;
	memset(&m, 0xee, sizeof m);
	ssize_t n = read(U3, &m, 32);
	printf("[%s]   read -> %zd\n", WHO, n);
	hex("fork msg", &m, 32);
	uint32_t ufd; memcpy(&ufd, (char *)&m + 8, 4);
	printf("[%s]   event=%#x arg.fork.ufd=%u\n", WHO, m.event, ufd);
	pthread_join(t, NULL);
	printf("[%s]   fork returned child pid %d\n", WHO, forked);
	char p[64]; snprintf(p, sizeof p, "/proc/self/fdinfo/%u", ufd);
	int f = open(p, O_RDONLY); char b[512]; ssize_t k = read(f, b, 511); b[k > 0 ? k : 0] = 0;
	printf("[%s]   new ufd fdinfo:\n%s", WHO, b);
	printf("[%s]   new ufd F_GETFD=%#x F_GETFL=%#x\n", WHO, fcntl(ufd, F_GETFD), fcntl(ufd, F_GETFL));
	waitpid(forked, NULL, 0);
}
int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run_both("p12_fork", body);
	run_both("p12_fork EVENT_FORK", body_evfork);
	return 0;
}
