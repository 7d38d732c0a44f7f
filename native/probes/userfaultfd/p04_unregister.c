/* Item 4: UFFDIO_UNREGISTER */
#include "common.h"

static long REG(int fd, unsigned long start, unsigned long len, __u64 mode)
{
	struct uffdio_register r = {.range = {start, len}, .mode = mode};
	int e;
	long ret = xioctl(fd, UFFDIO_REGISTER, &r, &e);
	printf("[%s] REGISTER start=%#lx len=%#lx mode=%#llx -> ret=%ld errno=%s\n", WHO, start, len, (unsigned long long)mode, ret, ret ? en(e) : "-");
	return ret;
}
static long UNREG(const char *label, int fd, unsigned long start, unsigned long len)
{
	struct uffdio_range r = {start, len};
	int e;
	long ret = xioctl(fd, UFFDIO_UNREGISTER, &r, &e);
	printf("[%s] UNREGISTER %-50s start=%#lx len=%#lx -> ret=%ld errno=%s%s\n", WHO, label, start, len, ret, ret ? en(e) : "-",
	       (r.start != start || r.len != len) ? " !!struct modified" : "");
	return ret;
}
static int mk(void) { int fd = new_uffd(O_CLOEXEC); uffd_api(fd, 0); return fd; }
#define A BASE

static void body(void)
{
	int U = mk();
	map_at(A, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	REG(U, A, 4 * PG, 1);
	UNREG("start unaligned", U, A + 1, PG);
	UNREG("len unaligned", U, A, PG + 1);
	UNREG("len 0", U, A, 0);
	UNREG("start 0", U, 0, PG);
	UNREG("overflow", U, A, 0xfffff00000000000UL);
	UNREG("start=TASK_SIZE", U, 0x7ffffffff000UL, PG);
	UNREG("end > TASK_SIZE", U, 0x7fffffffe000UL, 2 * PG);
	UNREG("entirely in hole", U, A + 16 * PG, PG);
	smaps_range("still registered?", A, A + 4 * PG);
	R("UNREGISTER(NULL)", ioctl(U, UFFDIO_UNREGISTER, NULL));
	UNREG("start in hole touching VMA (A-PG,2PG)", U, A - PG, 2 * PG);
	smaps_range("after", A - PG, A + 4 * PG);
	UNREG("VMA then hole (A+3PG, 3PG)", U, A + 3 * PG, 3 * PG);
	smaps_range("after", A, A + 8 * PG);
	UNREG("middle page A+PG", U, A + PG, PG);
	smaps_range("after", A, A + 8 * PG);
	REG(U, A, 4 * PG, 1);
	smaps_range("re-registered whole", A, A + 4 * PG);
	UNREG("whole", U, A, 4 * PG);
	smaps_range("after whole (merged back?)", A, A + 4 * PG);
	UNREG("whole again (not registered)", U, A, 4 * PG);
	REG(U, A + PG, 2 * PG, 1);
	smaps_range("registered middle", A, A + 4 * PG);
	UNREG("exactly the middle", U, A + PG, 2 * PG);
	smaps_range("after (merged back?)", A, A + 4 * PG);
	REG(U, A + PG, 2 * PG, 3);
	UNREG("superset A..A+4PG of MISSING|WP middle", U, A, 4 * PG);
	smaps_range("after", A, A + 4 * PG);
	/* two VMAs with hole */
	map_at(A + 0x100000, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	map_at(A + 0x100000 + 3 * PG, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	REG(U, A + 0x100000, 5 * PG, 1);
	UNREG("spanning 2 VMAs with hole", U, A + 0x100000, 5 * PG);
	smaps_range("after", A + 0x100000, A + 0x100000 + 5 * PG);
	/* other uffd */
	int u2 = mk();
	REG(u2, A, 4 * PG, 1);
	UNREG("VMA owned by another uffd", U, A, 4 * PG);
	smaps_range("after", A, A + 4 * PG);
	UNREG("VMA owned by another uffd, unaligned (order)", U, A + 1, PG);
	/* mix: VMA owned by u2, then not-registered VMA */
	map_at(A + 4 * PG, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	UNREG("[unregistered VMA][u2 VMA] by U", U, A - 0, 6 * PG);
	/* incompatible VMA (ext4 file, vdso) */
	int rf = open("/tmp/uffd-probes/regfile", O_RDONLY);
	map_at(A + 0x200000, 4 * PG, PROT_READ, MAP_PRIVATE, rf);
	UNREG("ext4 file mapping (never registrable)", U, A + 0x200000, 4 * PG);
	FILE *f = fopen("/proc/self/maps", "r");
	char line[256];
	while (fgets(line, sizeof line, f)) {
		unsigned long s, e;
		if (strstr(line, "[vdso]")) {
			sscanf(line, "%lx-%lx", &s, &e);
			UNREG("[vdso]", U, s, e - s);
		}
	}
	fclose(f);
	/* read-only shared memfd (no VM_MAYWRITE) */
	int mfd = memfd_create("x", 0);
	ftruncate(mfd, 4 * PG);
	char p[64];
	snprintf(p, sizeof p, "/proc/self/fd/%d", mfd);
	int ro = open(p, O_RDONLY);
	map_at(A + 0x300000, 4 * PG, PROT_READ, MAP_SHARED, ro);
	UNREG("memfd MAP_SHARED O_RDONLY (no MAYWRITE)", U, A + 0x300000, 4 * PG);
	/* anon + ext4 mixed */
	map_at(A + 0x200000 - 2 * PG, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	REG(U, A + 0x200000 - 2 * PG, 2 * PG, 1);
	UNREG("[registered anon][ext4 file]", U, A + 0x200000 - 2 * PG, 6 * PG);
	smaps_range("after (anon still registered?)", A + 0x200000 - 2 * PG, A + 0x200000);
	/* unregister on fd before API */
	int raw = syscall(SYS_userfaultfd, (g_unpriv ? UFFD_USER_MODE_ONLY : 0));
	UNREG("on fd before UFFDIO_API", raw, A, PG);
	/* ioctl after close of a different fd: unregister after register, then close -> merge */
	REG(U, A + 0x100000, 2 * PG, 1);
	close(U);
	smaps_range("after close(U)", A + 0x100000, A + 0x100000 + 5 * PG);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	run_both("p04_unregister", body);
	return 0;
}
