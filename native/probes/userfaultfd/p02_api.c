/* Item 2: UFFDIO_API */
#include "common.h"

static void fdinfo_api(int fd, char *out)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
	int f = open(path, O_RDONLY);
	ssize_t n = read(f, buf, sizeof buf - 1);
	close(f);
	buf[n > 0 ? n : 0] = 0;
	char *p = strstr(buf, "API:\t");
	strcpy(out, p ? p + 5 : "?");
	out[strcspn(out, "\n")] = 0;
}

static int rawfd(void) { return syscall(SYS_userfaultfd, g_unpriv ? UFFD_USER_MODE_ONLY : 0); }

static void api_call(const char *label, int fd, __u64 api, __u64 features)
{
	struct uffdio_api a = {.api = api, .features = features, .ioctls = 0x1111111111111111ULL};
	int e;
	long r = xioctl(fd, UFFDIO_API, &a, &e);
	char fi[128];
	fdinfo_api(fd, fi);
	printf("[%s] %-40s in{api=%#llx feat=%#llx} ret=%ld errno=%s out{api=%#llx features=%#llx ioctls=%#llx} fdinfo=%s\n",
	       WHO, label, (unsigned long long)api, (unsigned long long)features, r, r ? en(e) : "-",
	       (unsigned long long)a.api, (unsigned long long)a.features, (unsigned long long)a.ioctls, fi);
}

static const char *fnames[] = {"PAGEFAULT_FLAG_WP", "EVENT_FORK", "EVENT_REMAP", "EVENT_REMOVE",
			       "MISSING_HUGETLBFS", "MISSING_SHMEM", "EVENT_UNMAP", "SIGBUS", "THREAD_ID",
			       "MINOR_HUGETLBFS", "MINOR_SHMEM", "EXACT_ADDRESS", "WP_HUGETLBFS_SHMEM",
			       "WP_UNPOPULATED", "POISON", "WP_ASYNC", "MOVE"};

static void body(void)
{
	int fd;
	fd = rawfd(); api_call("api=0xAA features=0", fd, UFFD_API, 0); close(fd);
	for (int b = 0; b < 17; b++) {
		char l[64];
		snprintf(l, sizeof l, "single bit %d %s", b, fnames[b]);
		fd = rawfd(); api_call(l, fd, UFFD_API, 1ULL << b); close(fd);
	}
	fd = rawfd(); api_call("all known 0x1ffff", fd, UFFD_API, 0x1ffff); close(fd);
	fd = rawfd(); api_call("all known except FORK 0x1fffd", fd, UFFD_API, 0x1fffd); close(fd);
	int ub[] = {17, 18, 30, 31, 32, 63};
	for (unsigned i = 0; i < 6; i++) {
		char l[64]; snprintf(l, sizeof l, "unknown bit %d", ub[i]);
		fd = rawfd(); api_call(l, fd, UFFD_API, 1ULL << ub[i]); close(fd);
	}
	fd = rawfd(); api_call("unknown bit17|THREAD_ID", fd, UFFD_API, (1ULL << 17) | UFFD_FEATURE_THREAD_ID); close(fd);
	fd = rawfd(); api_call("api=0", fd, 0, 0); close(fd);
	fd = rawfd(); api_call("api=0xAB", fd, 0xAB, 0); close(fd);
	fd = rawfd(); api_call("api=0x1000000AA", fd, 0x1000000AAULL, 0); close(fd);
	fd = rawfd(); api_call("api=0 + EVENT_FORK", fd, 0, UFFD_FEATURE_EVENT_FORK); close(fd);
	fd = rawfd(); api_call("api=0xAA + EVENT_FORK|bit17", fd, UFFD_API, UFFD_FEATURE_EVENT_FORK | (1ULL << 17)); close(fd);

	/* twice */
	fd = rawfd();
	api_call("twice: 1st features=0", fd, UFFD_API, 0);
	api_call("twice: 2nd features=0", fd, UFFD_API, 0);
	api_call("twice: 3rd features=THREAD_ID", fd, UFFD_API, UFFD_FEATURE_THREAD_ID);
	api_call("twice: 4th api=0 (bad)", fd, 0, 0);
	close(fd);
	fd = rawfd();
	api_call("after-fail: 1st api=0 (bad)", fd, 0, 0);
	api_call("after-fail: 2nd api=0xAA THREAD_ID", fd, UFFD_API, UFFD_FEATURE_THREAD_ID);
	close(fd);
	fd = rawfd();
	api_call("fork-then: 1st EVENT_FORK", fd, UFFD_API, UFFD_FEATURE_EVENT_FORK);
	api_call("fork-then: 2nd features=0", fd, UFFD_API, 0);
	close(fd);
	fd = rawfd();
	api_call("fork-then: 1st EVENT_FORK|THREAD_ID", fd, UFFD_API, UFFD_FEATURE_EVENT_FORK | UFFD_FEATURE_THREAD_ID);
	api_call("fork-then: 2nd THREAD_ID", fd, UFFD_API, UFFD_FEATURE_THREAD_ID);
	close(fd);
	fd = rawfd();
	api_call("init-then: 1st features=0", fd, UFFD_API, 0);
	api_call("init-then: 2nd EVENT_FORK (EPERM vs already-init)", fd, UFFD_API, UFFD_FEATURE_EVENT_FORK);
	api_call("init-then: 3rd bit17", fd, UFFD_API, 1ULL << 17);
	{
		struct uffdio_api *r2 = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		r2->api = UFFD_API; mprotect(r2, PG, PROT_READ);
		R("init-then: 4th read-only struct valid (EFAULT vs already-init)", ioctl(fd, UFFDIO_API, r2));
	}
	close(fd);
	/* EFAULT */
	fd = rawfd();
	R("UFFDIO_API(NULL)", ioctl(fd, UFFDIO_API, NULL));
	R("UFFDIO_API((void*)1)", ioctl(fd, UFFDIO_API, (void *)1));
	/* read-only struct: copy_from_user ok, copy_to_user fails */
	struct uffdio_api *ro = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro->api = UFFD_API; ro->features = 0; ro->ioctls = 0;
	mprotect(ro, PG, PROT_READ);
	R("UFFDIO_API(read-only struct, valid)", ioctl(fd, UFFDIO_API, ro));
	api_call("after RO-struct EFAULT: api=0xAA", fd, UFFD_API, 0);
	close(fd);
	fd = rawfd();
	((struct uffdio_api *)ro)->api; /* no-op */
	mprotect(ro, PG, PROT_READ | PROT_WRITE); ro->api = 0; mprotect(ro, PG, PROT_READ);
	R("UFFDIO_API(read-only struct, api=0)", ioctl(fd, UFFDIO_API, ro));
	close(fd);

	/* ioctls before API */
	fd = rawfd();
	static char buf[64];
	struct { const char *n; unsigned long c; } cmds[] = {
		{"UFFDIO_REGISTER", UFFDIO_REGISTER}, {"UFFDIO_UNREGISTER", UFFDIO_UNREGISTER},
		{"UFFDIO_WAKE", UFFDIO_WAKE}, {"UFFDIO_COPY", UFFDIO_COPY}, {"UFFDIO_ZEROPAGE", UFFDIO_ZEROPAGE},
		{"UFFDIO_MOVE", UFFDIO_MOVE_}, {"UFFDIO_WRITEPROTECT", UFFDIO_WRITEPROTECT},
		{"UFFDIO_CONTINUE", UFFDIO_CONTINUE}, {"UFFDIO_POISON", UFFDIO_POISON_},
		{"_IOWR(0xAA,0x09,32B)", _IOWR(0xAA, 0x09, struct uffdio_copy)},
		{"_IO(0xAA,0x3E)", _IO(0xAA, 0x3E)}, {"_IOWR(0xAA,0x3F,16B) (API wrong size)", _IOWR(0xAA, 0x3F, struct uffdio_range)},
		{"_IOR(0xAA,0x00,32B) (REGISTER wrong dir)", _IOR(0xAA, 0x00, struct uffdio_register)},
		{"FIONREAD", FIONREAD}, {"FIONBIO", FIONBIO}, {"TCGETS", 0x5401}};
	for (unsigned i = 0; i < sizeof cmds / sizeof *cmds; i++) {
		memset(buf, 0x5a, sizeof buf);
		int e; long r = xioctl(fd, cmds[i].c, buf, &e);
		int touched = 0; for (int k = 0; k < 64; k++) if ((unsigned char)buf[k] != 0x5a) touched = 1;
		printf("[%s] before API: %-42s cmd=%#lx ret=%ld errno=%s argbuf_modified=%d\n", WHO, cmds[i].n, cmds[i].c, r, r ? en(e) : "-", touched);
	}
	R("before API: ioctl(NULL) UFFDIO_REGISTER", ioctl(fd, UFFDIO_REGISTER, NULL));
	uffd_api(fd, 0);
	for (unsigned i = 9; i < sizeof cmds / sizeof *cmds; i++) {
		memset(buf, 0x5a, sizeof buf);
		int e; long r = xioctl(fd, cmds[i].c, buf, &e);
		printf("[%s] after API: %-43s cmd=%#lx ret=%ld errno=%s\n", WHO, cmds[i].n, cmds[i].c, r, r ? en(e) : "-");
	}
	close(fd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run_both("p02_api", body);
	return 0;
}
