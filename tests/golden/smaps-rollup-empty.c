/* The kernel's smaps_rollup of a process with no VMA at all (tests/golden/smaps-rollup-empty.txt).
 * A traced child unmaps its whole address space and is held at the syscall's exit stop, where the parent
 * reads its /proc files. Build and run: gcc -o rollup smaps-rollup-empty.c && ./rollup | head -23 */
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <sys/syscall.h>
int main(void) {
    pid_t c = fork();
    if (c == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        syscall(SYS_munmap, 0, 0x7ffffffff000UL);
        for (;;);
    }
    int st; waitpid(c, &st, 0);
    ptrace(PTRACE_SYSCALL, c, 0, 0); waitpid(c, &st, 0); /* entry */
    ptrace(PTRACE_SYSCALL, c, 0, 0); waitpid(c, &st, 0); /* exit */
    char path[64]; snprintf(path, sizeof path, "cat /proc/%d/smaps_rollup", c);
    system(path);
    kill(c, SIGKILL);
    return 0;
}
