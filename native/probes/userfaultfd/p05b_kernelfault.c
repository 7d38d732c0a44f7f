/* Item 5/8 extra: UFFDIO_COPY whose src is a missing page of a MISSING-registered
 * range of the same uffd (kernel-mode fault during copy_from_user).
 * Also read() syscall into a registered missing page (kernel-mode fault). */
#include "common.h"

static void on_sig(int s) { (void)s; }

static void state(pid_t p, const char *tag)
{
	char path[64], buf[512], wchan[64] = "";
	snprintf(path, sizeof path, "/proc/%d/stat", p);
	FILE *f = fopen(path, "r");
	if (!f) { printf("[%s]   %s: no proc\n", WHO, tag); return; }
	fgets(buf, sizeof buf, f);
	fclose(f);
	char *rp = strrchr(buf, ')');
	snprintf(path, sizeof path, "/proc/%d/wchan", p);
	f = fopen(path, "r");
	if (f) { fgets(wchan, sizeof wchan, f); fclose(f); }
	snprintf(path, sizeof path, "/proc/%d/fdinfo/3", p);
	char fi[256] = "";
	f = fopen(path, "r");
	if (f) { size_t n = fread(fi, 1, sizeof fi - 1, f); fi[n] = 0; fclose(f); }
	char *pe = strstr(fi, "pending:");
	if (pe) for (char *q = pe; *q; q++) if (*q == '\n' || *q == '\t') *q = ' ';
	printf("[%s]   %s: state=%c wchan=%s | %s\n", WHO, tag, rp[2], wchan, pe ? pe : "");
}

static void scenario(int which, int umo)
{
	fflush(stdout);
	pid_t c = fork();
	if (!c) {
		struct sigaction sa = {.sa_handler = on_sig};
		sigaction(SIGUSR1, &sa, NULL);
		int U = syscall(SYS_userfaultfd, (g_unpriv || umo) ? UFFD_USER_MODE_ONLY : 0);
		if (U != 3) { dup2(U, 3); close(U); U = 3; }
		uffd_api(U, 0);
		map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
		uffd_reg(U, BASE, 4 * PG, 1, NULL);
		long r;
		int e;
		if (which == 0) {
			struct uffdio_copy cp = {.dst = BASE, .src = BASE + 2 * PG, .len = PG, .copy = SENT};
			r = xioctl(U, UFFDIO_COPY, &cp, &e);
			printf("[%s]   child: COPY(src=registered missing page) ret=%ld errno=%s copy=%lld\n", WHO, r, r ? en(e) : "-", (long long)cp.copy);
		} else {
			int fd = open("/tmp/uffd-probes/regfile", O_RDONLY);
			errno = 0;
			r = read(fd, (void *)(BASE + PG), 100);
			printf("[%s]   child: read(file -> registered missing page) ret=%ld errno=%s\n", WHO, r, r < 0 ? en(errno) : "-");
		}
		fflush(stdout);
		_exit(0);
	}
	usleep(500000);
	state(c, "after 0.5s");
	kill(c, SIGUSR1);
	usleep(300000);
	state(c, "after SIGUSR1 (handled, non-fatal)");
	kill(c, SIGKILL);
	int st;
	waitpid(c, &st, 0);
	printf("[%s]   child ended: %s %d\n", WHO, WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
}

static void body(void)
{
	printf("[%s] -- scenario: UFFDIO_COPY src = missing page in the same MISSING-registered range (uffd flags=%s)\n", WHO, g_unpriv ? "UFFD_USER_MODE_ONLY" : "0");
	scenario(0, 0);
	printf("[%s] -- scenario: read(2) into registered missing page (kernel-mode fault)\n", WHO);
	scenario(1, 0);
	if (!g_unpriv) {
		printf("[%s] -- same two scenarios, root, uffd created with UFFD_USER_MODE_ONLY\n", WHO);
		scenario(0, 1);
		scenario(1, 1);
	}
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run_both("p05b_kernelfault", body);
	return 0;
}
