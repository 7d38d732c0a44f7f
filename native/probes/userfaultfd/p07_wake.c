/* Item 7: UFFDIO_WAKE */
#include "common.h"
static int U;
static void WK(const char *label, unsigned long s, unsigned long l)
{
	struct uffdio_range r = {s, l};
	int e;
	long ret = xioctl(U, UFFDIO_WAKE, &r, &e);
	printf("[%s] WAKE %-40s start=%#lx len=%#lx -> ret=%ld errno=%s%s\n", WHO, label, s, l, ret, ret ? en(e) : "-",
	       (r.start != s || r.len != l) ? " !!modified" : "");
}
static void body(void)
{
	U = new_uffd(O_CLOEXEC);
	WK("before UFFDIO_API", BASE, PG);
	uffd_api(U, 0);
	map_at(BASE, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	uffd_reg(U, BASE, 4 * PG, 1, NULL);
	WK("registered range, nothing pending", BASE, 4 * PG);
	WK("start unaligned", BASE + 1, PG);
	WK("len unaligned", BASE, PG + 1);
	WK("len 0", BASE, 0);
	WK("start 0", 0, PG);
	WK("start 0 len 0", 0, 0);
	WK("start >= TASK_SIZE", 0x7ffffffff000UL, PG);
	WK("end > TASK_SIZE", 0x7fffffffe000UL, 2 * PG);
	WK("len overflow", BASE, 0xfffff00000000000UL);
	WK("hole", BASE + 0x1000000, PG);
	WK("whole user space 0..TASK_SIZE", 0, 0x7ffffffff000UL);
	R("WAKE(NULL)", ioctl(U, UFFDIO_WAKE, NULL));
}
int main(void) { setvbuf(stdout, NULL, _IOLBF, 0); run_both("p07_wake", body); return 0; }
