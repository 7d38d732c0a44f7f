/* Item 1: userfaultfd(flags) results, fd flags, fdinfo; /dev/userfaultfd */
#include "common.h"

static void dump_fd(int fd)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("[%s]   readlink=%s F_GETFL=%#x F_GETFD=%#x\n", WHO, buf, fcntl(fd, F_GETFL), fcntl(fd, F_GETFD));
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
	int f = open(path, O_RDONLY);
	n = read(f, buf, sizeof buf - 1);
	close(f);
	buf[n > 0 ? n : 0] = 0;
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
		printf("[%s]   fdinfo| %s\n", WHO, l);
}

static void body(void)
{
	int flags[] = {0, O_CLOEXEC, O_NONBLOCK, UFFD_USER_MODE_ONLY,
		       O_CLOEXEC | O_NONBLOCK, UFFD_USER_MODE_ONLY | O_CLOEXEC,
		       UFFD_USER_MODE_ONLY | O_NONBLOCK, UFFD_USER_MODE_ONLY | O_CLOEXEC | O_NONBLOCK,
		       2, 0x100, UFFD_USER_MODE_ONLY | 2, UFFD_USER_MODE_ONLY | 0x100,
		       O_RDWR, O_WRONLY | UFFD_USER_MODE_ONLY, 4, 0x40 /*O_CREAT*/, 0x80000000, -1,
		       O_CLOEXEC | 2, UFFD_USER_MODE_ONLY | O_CLOEXEC | O_NONBLOCK | 2};
	for (unsigned i = 0; i < sizeof flags / sizeof *flags; i++) {
		errno = 0;
		int fd = syscall(SYS_userfaultfd, flags[i]);
		int e = errno;
		printf("[%s] userfaultfd(%#x) = %d errno=%s\n", WHO, flags[i], fd, fd < 0 ? en(e) : "-");
		if (fd >= 0) {
			if (flags[i] == 0 || flags[i] == (UFFD_USER_MODE_ONLY | O_CLOEXEC | O_NONBLOCK))
				dump_fd(fd);
			close(fd);
		}
	}
	/* fdinfo after UFFDIO_API and with a feature */
	int fd = syscall(SYS_userfaultfd, g_unpriv ? UFFD_USER_MODE_ONLY : 0);
	printf("[%s] -- fdinfo before API (flags=%d):\n", WHO, g_unpriv);
	dump_fd(fd);
	uffd_api(fd, 0);
	printf("[%s] -- fdinfo after API(features=0):\n", WHO);
	dump_fd(fd);
	close(fd);
	fd = syscall(SYS_userfaultfd, g_unpriv ? UFFD_USER_MODE_ONLY : 0);
	uffd_api(fd, UFFD_FEATURE_THREAD_ID | UFFD_FEATURE_SIGBUS | UFFD_FEATURE_EXACT_ADDRESS);
	printf("[%s] -- fdinfo after API(features=THREAD_ID|SIGBUS|EXACT_ADDRESS = 0x980):\n", WHO);
	dump_fd(fd);
	close(fd);

	/* /dev/userfaultfd */
	errno = 0;
	int dfd = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
	printf("[%s] open(/dev/userfaultfd, O_RDWR) = %d errno=%s\n", WHO, dfd, dfd < 0 ? en(errno) : "-");
	if (dfd >= 0) {
		int fl[] = {0, UFFD_USER_MODE_ONLY, O_CLOEXEC | O_NONBLOCK, 2, 0x100};
		for (unsigned i = 0; i < 5; i++) {
			errno = 0;
			int f = ioctl(dfd, USERFAULTFD_IOC_NEW, fl[i]);
			printf("[%s]   ioctl(devfd, USERFAULTFD_IOC_NEW=%#lx, %#x) = %d errno=%s\n", WHO,
			       (unsigned long)USERFAULTFD_IOC_NEW, fl[i], f, f < 0 ? en(errno) : "-");
			if (f >= 0) { if (i == 2) dump_fd(f); close(f); }
		}
		errno = 0;
		int r = ioctl(dfd, _IO(0xAA, 1), 0);
		printf("[%s]   ioctl(devfd, _IO(0xAA,1)) = %d errno=%s\n", WHO, r, r < 0 ? en(errno) : "-");
		close(dfd);
	}
	errno = 0;
	dfd = open("/dev/userfaultfd", O_RDONLY);
	printf("[%s] open(/dev/userfaultfd, O_RDONLY) = %d errno=%s\n", WHO, dfd, dfd < 0 ? en(errno) : "-");
	if (dfd >= 0) close(dfd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	FILE *f = fopen("/proc/sys/vm/unprivileged_userfaultfd", "r");
	int v = -1;
	fscanf(f, "%d", &v);
	printf("vm.unprivileged_userfaultfd = %d\n", v);
	run_both("p01_create", body);
	return 0;
}
