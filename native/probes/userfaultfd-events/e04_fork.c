/* A4: UFFD_EVENT_FORK (root only) */
#include "ev.h"
static int U, U2 = -1;
static int p_start[2], p_go[2];
static int g_child_mode; /* 0: touch A0+PG (fault); 1: wait for go, then layout+touch; 2: layout only */
static void child_main(void)
{
	alarm(20);
	char c = 'S';
	write(p_start[1], &c, 1);
	printf("[%s]   CHILD pid %d started\n", WHO, getpid());
	if (g_child_mode == 1) {
		read(p_go[0], &c, 1);
		printf("[%s]   CHILD got go\n", WHO);
	}
	layout("CHILD", A0, A0 + 8 * PG);
	if (U2 >= 0 || g_child_mode == 2) layout("CHILD (B0)", B0, B0 + 8 * PG);
	printf("[%s]   CHILD byte A0+0 = %#x\n", WHO, *(volatile unsigned char *)A0);
	if (g_child_mode != 2) {
		printf("[%s]   CHILD touching A0+PG (missing) ...\n", WHO);
		unsigned char v = *(volatile unsigned char *)(A0 + PG);
		printf("[%s]   CHILD A0+PG read -> %#x\n", WHO, v);
	}
	fflush(stdout);
	_exit(0);
}
static long fork_fn(struct actor *a)
{
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) child_main();
	return p;
}
static int child_started(void)
{
	char c;
	int fl = fcntl(p_start[0], F_GETFL);
	fcntl(p_start[0], F_SETFL, fl | O_NONBLOCK);
	int r = read(p_start[0], &c, 1);
	fcntl(p_start[0], F_SETFL, fl);
	return r == 1;
}
static void newfd_info(int nfd)
{
	char p[64], l[128] = "";
	snprintf(p, sizeof p, "/proc/self/fd/%d", nfd);
	ssize_t n = readlink(p, l, sizeof l - 1);
	if (n > 0) l[n] = 0;
	printf("[%s]   new fd %d: readlink=%s F_GETFD=%#x F_GETFL=%#x\n", WHO, nfd, l, fcntl(nfd, F_GETFD), fcntl(nfd, F_GETFL));
	fdinfo_of("new fd", nfd);
}
static void setup_regions(void)
{
	map_at(A0, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	memset((void *)A0, 0x11, 1);
	map_at(B0, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	memset((void *)B0, 0x22, 1);
}
static void finish(struct actor *a)
{
	actor_finish(a, 5000);
	actor_report(a);
	if (a->ret > 0) {
		int st;
		for (int i = 0; i < 100; i++) {
			if (waitpid(a->ret, &st, WNOHANG) == a->ret) {
				printf("[%s]   child exited status=%#x\n", WHO, st);
				goto out;
			}
			usleep(20000);
		}
		printf("[%s]   !!! child %ld still running after 2s: SIGKILL\n", WHO, a->ret);
		kill(a->ret, SIGKILL);
		waitpid(a->ret, &st, 0);
	}
out:
	close(p_start[0]); close(p_start[1]); close(p_go[0]); close(p_go[1]);
}
static void case_basic(int uflags, __u64 feat)
{
	printf("[%s] ---- fork with 1 uffd (flags %#x, features %#llx) registered A0 MISSING; child faults on A0+PG\n", WHO, uflags,
	       (unsigned long long)feat);
	pipe(p_start); pipe(p_go);
	g_child_mode = 0;
	U = new_uffd(uflags);
	uffd_api(U, feat);
	setup_regions();
	uffd_reg(U, A0, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
	struct actor a = {.name = "fork", .fn = fork_fn};
	actor_start(&a);
	int was = actor_wait(&a, 300);
	printf("[%s]   fork done within 300ms=%d; child started=%d; poll(U)=%#x\n", WHO, was, child_started(), pollin(U, 0));
	long c = do_copy(U, A0 + 2 * PG, 0x33, PG);
	printf("[%s]   UFFDIO_COPY on U while FORK pending -> %ld\n", WHO, c);
	struct uffd_msg m;
	double tr = TS();
	if (!read1(U, 1000, &m)) { printf("[%s]   no FORK message\n", WHO); }
	else {
		printf("[%s]   read at t=%.1fms\n", WHO, tr);
		print_msg("msg", &m);
	}
	int nfd = m.event == UFFD_EVENT_FORK ? (int)m.arg.fork.ufd : -1;
	actor_wait(&a, 1000);
	actor_report(&a);
	usleep(50000);
	printf("[%s]   child started (after read)=%d\n", WHO, child_started());
	if (nfd >= 0) {
		newfd_info(nfd);
		int fl = fcntl(nfd, F_GETFL);
		fcntl(nfd, F_SETFL, fl | O_NONBLOCK);
		if (read1(nfd, 1000, &m)) {
			print_msg("msg on new fd (child fault)", &m);
			printf("[%s]   (child pid %ld)\n", WHO, a.ret);
			fdinfo_of("new fd with child fault", nfd);
			memset(g_src, 0x5c, PG);
			struct uffdio_copy cp = {.dst = A0 + PG, .src = (unsigned long)g_src, .len = PG, .copy = SENT};
			int r = ioctl(nfd, UFFDIO_COPY, &cp);
			printf("[%s]   UFFDIO_COPY via new fd (src=parent buffer 0x5c) -> %d %s copy=%lld\n", WHO, r, r ? en(errno) : "-", (long long)cp.copy);
		} else
			printf("[%s]   no message on new fd\n", WHO);
		struct uffdio_move_ mv = {.dst = A0 + 3 * PG, .src = A0, .len = PG, .move = SENT};
		int r = ioctl(nfd, UFFDIO_MOVE_, &mv);
		printf("[%s]   UFFDIO_MOVE via new fd (other mm) -> %d %s move=%#llx\n", WHO, r, r ? en(errno) : "-", (unsigned long long)mv.move);
	}
	struct uffd_msg m2;
	int n = read(U, &m2, 32);
	printf("[%s]   read(U) after: %d %s\n", WHO, n, n < 0 ? en(errno) : "");
	finish(&a);
	if (nfd >= 0) close(nfd);
	close(U);
	cleanup_all();
}
static void case_two(int both_fork, int reverse)
{
	printf("[%s] ---- fork with 2 uffds: U1 registered %s (EVENT_FORK), U2 registered %s (%s)\n", WHO, reverse ? "B0" : "A0",
	       reverse ? "A0" : "B0", both_fork ? "EVENT_FORK" : "no EVENT_FORK");
	pipe(p_start); pipe(p_go);
	g_child_mode = 2;
	U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, F_EVFORK);
	U2 = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U2, both_fork ? F_EVFORK : 0);
	setup_regions();
	uffd_reg(U, reverse ? B0 : A0, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
	uffd_reg(U2, reverse ? A0 : B0, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
	printf("[%s]   U1=fd %d U2=fd %d\n", WHO, U, U2);
	struct actor a = {.name = "fork", .fn = fork_fn};
	actor_start(&a);
	int was = actor_wait(&a, 300);
	printf("[%s]   fork done within 300ms=%d; child started=%d\n", WHO, was, child_started());
	int fds[2] = {U, U2};
	drain_fds(fds, 2, &a, 400);
	usleep(100000);
	finish(&a);
	for (int i = 0; i < g_nmsgs; i++)
		if (g_msgs[i].event == UFFD_EVENT_FORK) { newfd_info(g_msgs[i].arg.fork.ufd); close(g_msgs[i].arg.fork.ufd); }
	close(U); close(U2); U2 = -1;
	cleanup_all();
}
static void case_noreg(void)
{
	printf("[%s] ---- fork with EVENT_FORK uffd but nothing registered\n", WHO);
	pipe(p_start); pipe(p_go);
	g_child_mode = 2;
	U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, F_EVFORK);
	setup_regions();
	struct actor a = {.name = "fork", .fn = fork_fn};
	actor_start(&a);
	int was = actor_wait(&a, 300);
	printf("[%s]   fork done within 300ms=%d\n", WHO, was);
	drain(U, &a);
	finish(&a);
	close(U);
	cleanup_all();
}
static void case_close_newfd(void)
{
	printf("[%s] ---- monitor closes the new fd right after reading FORK; child then reads its registered missing page\n", WHO);
	pipe(p_start); pipe(p_go);
	g_child_mode = 1;
	U = new_uffd(O_CLOEXEC | O_NONBLOCK);
	uffd_api(U, F_EVFORK);
	setup_regions();
	uffd_reg(U, A0, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
	struct actor a = {.name = "fork", .fn = fork_fn};
	actor_start(&a);
	actor_wait(&a, 300);
	struct uffd_msg m;
	if (read1(U, 1000, &m)) print_msg("msg", &m);
	actor_wait(&a, 1000);
	close(m.arg.fork.ufd);
	printf("[%s]   closed new fd %u\n", WHO, m.arg.fork.ufd);
	char c = 'G';
	write(p_go[1], &c, 1);
	finish(&a);
	close(U);
	cleanup_all();
}
static volatile int g_usr1;
static void on_usr1(int s) { g_usr1 = 1; }
/* Run in a single-threaded subprocess S: S creates U (EVENT_FORK), registers A0, an actor thread forks.
 * mode 0: S closes U (only fd) while fork is blocked; parent then SIGKILLs S.
 * mode 1: as mode 0 but parent sends SIGTERM (default action).
 * mode 2: S sends SIGUSR1 (handler) to the blocked fork thread, then reads the event. */
static void case_sub(int mode)
{
	const char *nm[] = {"close(U) while fork blocked, then SIGKILL to the process",
			    "close(U) while fork blocked, then SIGTERM (default action) to the process",
			    "SIGUSR1 (handler, no SA_RESTART) sent to the blocked fork thread, then monitor reads"};
	printf("[%s] ---- (subprocess) %s\n", WHO, nm[mode]);
	fflush(stdout);
	pid_t s = fork();
	if (s == 0) {
		alarm(20);
		pipe(p_start); pipe(p_go);
		g_child_mode = 2;
		struct sigaction sa = {.sa_handler = on_usr1};
		sigaction(SIGUSR1, &sa, NULL);
		U = new_uffd(O_CLOEXEC | O_NONBLOCK);
		uffd_api(U, F_EVFORK);
		setup_regions();
		uffd_reg(U, A0, 4 * PG, UFFDIO_REGISTER_MODE_MISSING, NULL);
		struct actor a = {.name = "fork", .fn = fork_fn};
		actor_start(&a);
		int was = actor_wait(&a, 300);
		printf("[%s]   S: fork done within 300ms=%d\n", WHO, was);
		if (mode < 2) {
			close(U);
			printf("[%s]   S: closed U at t=%.1fms\n", WHO, TS());
			actor_wait(&a, 1000);
			actor_report(&a);
			printf("[%s]   S: waiting to be killed\n", WHO);
			fflush(stdout);
			for (;;) pause();
		}
		syscall(SYS_tgkill, getpid(), a.tid, SIGUSR1);
		usleep(300000);
		printf("[%s]   S: 300ms after SIGUSR1 to fork thread: handler ran=%d fork done=%d\n", WHO, g_usr1, a.done);
		int fds[1] = {U};
		drain_fds(fds, 1, &a, 400);
		actor_report(&a);
		printf("[%s]   S: handler ran=%d\n", WHO, g_usr1);
		for (int i = 0; i < g_nmsgs; i++) if (g_msgs[i].event == UFFD_EVENT_FORK) newfd_info(g_msgs[i].arg.fork.ufd);
		if (a.done && a.ret > 0) waitpid(a.ret, NULL, 0);
		fflush(stdout);
		_exit(0);
	}
	if (mode < 2) {
		usleep(1700000);
		double t = now_ms();
		kill(s, mode == 0 ? SIGKILL : SIGTERM);
		int st;
		for (int i = 0; i < 200; i++) {
			if (waitpid(s, &st, WNOHANG) == s) {
				printf("[%s]   S ended %.1fms after %s: %s %d\n", WHO, now_ms() - t, mode == 0 ? "SIGKILL" : "SIGTERM",
				       WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
				return;
			}
			usleep(10000);
		}
		printf("[%s]   !!! S still alive 2s after the signal; SIGKILL\n", WHO);
		kill(s, SIGKILL);
		waitpid(s, NULL, 0);
		return;
	}
	int st;
	waitpid(s, &st, 0);
	printf("[%s]   S status %#x\n", WHO, st);
}
static void body(void)
{
	if (g_unpriv) {
		int fd = new_uffd(O_CLOEXEC);
		struct uffdio_api ap = {.api = UFFD_API, .features = F_EVFORK};
		int r = ioctl(fd, UFFDIO_API, &ap);
		printf("[%s] UFFDIO_API(EVENT_FORK) -> %d %s (unprivileged: EVENT_FORK not testable)\n", WHO, r, r ? en(errno) : "-");
		close(fd);
		return;
	}
	case_basic(O_CLOEXEC | O_NONBLOCK, F_EVFORK | UFFD_FEATURE_THREAD_ID);
	case_basic(O_NONBLOCK, F_EVFORK);
	case_two(1, 0);
	case_two(1, 1);
	case_two(0, 0);
	case_noreg();
	case_close_newfd();
	case_sub(0);
	case_sub(1);
	case_sub(2);
}
int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run_both3("e04_fork", body);
	return 0;
}
