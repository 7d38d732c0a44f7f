/*
 * mmsim-host: the process side of MmSim's host target (src/MmSim.Host/HostTarget.cs).
 *
 * Each scenario process is one of these.  The C# side listens on a Unix socket; the first runner is started
 * as `mmsim-host SOCKET`, sets up a process like the model's first process and connects; every fork() child
 * and every thread connects on its own.  Each connection then carries one request per scenario statement,
 * answered by one reply (a few for streamed data).  The runner performs the statement for real: a syscall, or
 * CPU loads and stores guarded by a SIGSEGV/SIGBUS handler that reports si_code and si_addr.
 *
 * Nothing in the serving loop allocates or maps memory: every buffer is static and touched before the
 * first statement, so the runner's own address space and RSS stay as they were while scenarios run.
 *
 * Threads: a process has up to NSLOTS tasks, each in a slot of s_slots with its own connection (fd CONN_FD +
 * slot), buffers, signal stack and fault state.  Slot 0 is the thread that started on the process stack; the
 * others run on stacks inside their slots, made by a raw clone(CLONE_VM|CLONE_THREAD|...) that glibc does not
 * know of: they share the first thread's TLS, so the serving code makes its syscalls raw (rsys()) and never
 * reads errno, which another thread could change under it.
 *
 * Protocol (native byte order, x86-64 little endian), one connection per task:
 *   hello   runner -> C#   struct hello { u32 magic = 0x484d4d53 ("SMMH"); i32 pid; i32 tid; u32 pad; }
 *                          once, on connecting
 *   request C# -> runner   struct request { u32 op; u32 len; u8 in_arg, out_arg, in_arg2, in_off2; u32 pad; u64 a[7]; }
 *                          followed by len payload bytes
 *   reply   runner -> C#   struct reply { i64 ret; i32 sig, code; u64 addr; u64 len; } followed by len bytes
 * Ops:
 *   OP_SYSCALL  syscall(a[0], a[1..6]) -> ret (-errno on failure).  If in_arg (1..6) is set, that argument
 *               points to the payload (NUL-terminated for strings); if in_arg2 is set too, that argument
 *               points to the payload at offset in_off2 (capset's header and data); if out_arg is set, that
 *               argument points to a zeroed buffer of pad bytes (32 when pad is 0, at most IO_SIZE) sent back as
 *               the reply's payload when ret >= 0.  out_arg == in_arg makes the payload in-out (an ioctl's struct):
 *               it is sent back whatever ret is.
 *   OP_FORK     fork(); the child connects and says hello before serving; the parent replies the child's pid.
 *               The child has one task, the caller's copy, in the caller's slot.
 *   OP_EXIT     replies ret = 0, then exit_group(a[0]).
 *   OP_THREAD   a new task in this process, in a free slot; it connects and says hello before serving; the
 *               caller replies its tid, or -EAGAIN when every slot is taken.
 *   OP_EXIT_THREAD  replies ret = 0, closes this task's connection, then exit(a[0]): this task only.
 *   OP_PAGEMAP  the 8-byte /proc/self/pagemap entry of the page at a[0]: ret = 0 and the entry, or -errno.
 *   OP_STORE    CPU stores of the payload at a[0].           One reply: sig/code/addr, or sig = 0.
 *   OP_FILL     CPU stores of a[1] bytes of value a[2] at a[0].
 *   OP_TOUCH    one access per page of [a[0], a[0]+a[1]); a write (lock or $0) if a[2] != 0, else a read.
 *   OP_LOAD     CPU loads of a[1] bytes at a[0]: data replies (ret = 1, len = n, the bytes), then a final
 *               reply (ret = 0, len = 0, sig/code/addr of the fault if any; data already sent is then void).
 *   OP_PROC     /proc/self/{maps,smaps,smaps_rollup,status}[a[0]]: data replies (ret = 1), then ret = 0,
 *               or ret = -errno.  Read here rather than by the C# side, which may lack the right to.
 * A connection that closes means the C# side is gone: the runner exits.
 *
 * Start-up: `mmsim-host SOCKET` turns off address-space randomization and sets the model's starting limits,
 * then re-execs itself (`--serve SOCKET`, empty environment) so that exec lays out the address space under
 * them.  The second stage leads a new session, drops root to nobody (keeping the model's capabilities
 * permitted, not effective), resets signals, fills the holes among
 * its own mappings (isolate_own_mappings), touches its buffers, connects and serves.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#define HELLO_MAGIC 0x484d4d53u /* "SMMH" in little-endian byte order */
#define CONN_FD 1000            /* slot k's connection is CONN_FD + k, out of the way: fds 3.. are the scenario's */
#define IO_SIZE (64 * 1024)
#define NOBODY 65534
#define NSLOTS 16               /* tasks per process */
#define SLOT_STACK (64 * 1024)
#define ALT_STACK (32 * 1024)

enum { OP_SYSCALL = 1, OP_FORK, OP_EXIT, OP_STORE, OP_FILL, OP_TOUCH, OP_LOAD, OP_PROC, OP_THREAD, OP_EXIT_THREAD,
       OP_PAGEMAP };

struct hello { uint32_t magic; int32_t pid, tid; uint32_t pad; };
struct request { uint32_t op, len; uint8_t in_arg, out_arg, in_arg2, in_off2; uint32_t pad; uint64_t a[7]; };
struct reply { int64_t ret; int32_t sig, code; uint64_t addr, len; };

_Static_assert(sizeof(struct hello) == 16, "hello layout");
_Static_assert(sizeof(struct request) == 72, "request layout");
_Static_assert(sizeof(struct reply) == 32, "reply layout");

/* One task's everything.  tid is set by the kernel when the task is cloned (CLONE_PARENT_SETTID) and cleared
 * when it exits (CLONE_CHILD_CLEARTID): a slot is free while it is 0.  The fault state is the handler's: an
 * access in progress jumps back to jb with the signal's siginfo. */
struct slot {
    unsigned char io[IO_SIZE] __attribute__((aligned(4096)));
    unsigned char stack[SLOT_STACK] __attribute__((aligned(4096))); /* unused in slot 0 */
    unsigned char altstack[ALT_STACK] __attribute__((aligned(4096)));
    unsigned char out[IO_SIZE] __attribute__((aligned(16)));
    sigjmp_buf jb;
    volatile int tid;
    volatile sig_atomic_t in_access;
    volatile int sig, code;
    volatile uint64_t fault_addr;
};

static struct slot s_slots[NSLOTS];
static struct sockaddr_un s_addr;

static const char *const s_proc_files[] = { "/proc/self/maps", "/proc/self/smaps", "/proc/self/smaps_rollup",
                                            "/proc/self/status" };

/* A raw syscall: -errno on failure, errno untouched (threads share the first thread's TLS). */
static long rsys(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
    register long r10 __asm__("r10") = a4;
    register long r8 __asm__("r8") = a5;
    register long r9 __asm__("r9") = a6;
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

#define RSYS0(n) rsys((n), 0, 0, 0, 0, 0, 0)
#define RSYS1(n, a) rsys((n), (long)(a), 0, 0, 0, 0, 0)
#define RSYS2(n, a, b) rsys((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define RSYS3(n, a, b, c) rsys((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)

static void say(const char *msg)
{
    RSYS3(SYS_write, 2, msg, strlen(msg));
}

static void die(const char *what)
{
    say("mmsim-host: ");
    say(what);
    say(": ");
    say(strerror(errno));
    say("\n");
    _exit(127);
}

static void die_raw(const char *what, long err)
{
    say("mmsim-host: ");
    say(what);
    say(": ");
    say(strerror((int)-err));
    say("\n");
    RSYS1(SYS_exit_group, 127);
}

static int conn_fd(const struct slot *self)
{
    return CONN_FD + (int)(self - s_slots);
}

/* The slot of the calling task; slot 0 if none has its tid (the first thread before it says hello). */
static struct slot *current_slot(void)
{
    int tid = (int)RSYS0(SYS_gettid);
    for (int i = 1; i < NSLOTS; i++) {
        if (s_slots[i].tid == tid)
            return &s_slots[i];
    }
    return &s_slots[0];
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    struct slot *self = current_slot();
    if (self->in_access && si->si_code > 0) {
        self->sig = sig;
        self->code = si->si_code;
        self->fault_addr = (uint64_t)(uintptr_t)si->si_addr;
        siglongjmp(self->jb, 1);
    }
    /* kill(pid, SIGSEGV) from a scenario, or a fault outside an access: the default action, as the model
     * does.  For a fault, returning re-executes the instruction; a sent signal is raised again. */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(sig, &dfl, NULL);
    if (si->si_code <= 0)
        RSYS2(SYS_kill, RSYS0(SYS_getpid), sig);
}

/* ---- the connection ---- */

static void send_all(struct slot *self, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    while (n > 0) {
        long w = rsys(SYS_sendto, conn_fd(self), (long)p, (long)n, MSG_NOSIGNAL, 0, 0);
        if (w == -EINTR)
            continue;
        if (w <= 0)
            RSYS1(SYS_exit_group, 0); /* the C# side is gone: nothing left to serve */
        p += w;
        n -= (size_t)w;
    }
}

static void recv_all(struct slot *self, void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n > 0) {
        long r = rsys(SYS_recvfrom, conn_fd(self), (long)p, (long)n, 0, 0, 0);
        if (r == -EINTR)
            continue;
        if (r <= 0)
            RSYS1(SYS_exit_group, 0);
        p += r;
        n -= (size_t)r;
    }
}

static void reply(struct slot *self, int64_t ret, const void *data, uint64_t len)
{
    struct reply r = { .ret = ret, .len = len };
    send_all(self, &r, sizeof r);
    if (len > 0)
        send_all(self, data, len);
}

static void reply_access(struct slot *self, int faulted)
{
    struct reply r = { 0 };
    if (faulted) {
        r.sig = self->sig;
        r.code = self->code;
        r.addr = self->fault_addr;
    }
    send_all(self, &r, sizeof r);
}

/* Connects slot self's task to the C# side on fd CONN_FD + slot and says hello. */
static void connect_back(struct slot *self)
{
    long fd = RSYS3(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        die_raw("socket", fd);
    long r = RSYS3(SYS_connect, fd, &s_addr, sizeof s_addr);
    if (r < 0)
        die_raw("connect", r);
    if (fd != conn_fd(self)) {
        r = RSYS2(SYS_dup2, fd, conn_fd(self));
        if (r < 0)
            die_raw("dup2", r);
        RSYS1(SYS_close, fd);
    }
    struct hello h = { HELLO_MAGIC, (int32_t)RSYS0(SYS_getpid), (int32_t)RSYS0(SYS_gettid), 0 };
    send_all(self, &h, sizeof h);
}

/* ---- CPU accesses ----
 * Each page is entered by a single-byte access at the first address the access reaches in it, so the fault
 * (if any) has exactly the si_addr the model reports; the rest of that page cannot fault and is copied in bulk.
 * The loops run in their own functions, called under guarded(): nothing they keep in registers is needed
 * after the jump back. */

struct access {
    uint64_t addr, n;
    unsigned char *buf; /* store: the bytes; load: where they go */
    unsigned char value; /* fill */
    int write;           /* touch */
};

static void __attribute__((noinline)) store_loop(const struct access *x)
{
    uint64_t addr = x->addr, n = x->n;
    const unsigned char *src = x->buf;
    while (n > 0) {
        uint64_t seg = 4096 - (addr & 4095);
        if (seg > n)
            seg = n;
        *(volatile unsigned char *)(uintptr_t)addr = src[0];
        if (seg > 1)
            memcpy((void *)(uintptr_t)(addr + 1), src + 1, seg - 1);
        addr += seg;
        src += seg;
        n -= seg;
    }
}

static void __attribute__((noinline)) fill_loop(const struct access *x)
{
    uint64_t addr = x->addr, n = x->n;
    while (n > 0) {
        uint64_t seg = 4096 - (addr & 4095);
        if (seg > n)
            seg = n;
        *(volatile unsigned char *)(uintptr_t)addr = x->value;
        if (seg > 1)
            memset((void *)(uintptr_t)(addr + 1), x->value, seg - 1);
        addr += seg;
        n -= seg;
    }
}

static void __attribute__((noinline)) load_loop(const struct access *x)
{
    uint64_t addr = x->addr, n = x->n;
    unsigned char *dst = x->buf;
    while (n > 0) {
        uint64_t seg = 4096 - (addr & 4095);
        if (seg > n)
            seg = n;
        dst[0] = *(volatile unsigned char *)(uintptr_t)addr;
        if (seg > 1)
            memcpy(dst + 1, (const void *)(uintptr_t)(addr + 1), seg - 1);
        addr += seg;
        dst += seg;
        n -= seg;
    }
}

static void __attribute__((noinline)) touch_loop(const struct access *x)
{
    uint64_t end = x->addr + x->n;
    for (uint64_t a = x->addr; a < end; a = (a & ~4095ul) + 4096) {
        if (x->write)
            __asm__ volatile("lock orb $0, (%0)" : : "r"(a) : "memory"); /* a write that keeps the byte */
        else
            (void)*(volatile unsigned char *)(uintptr_t)a;
    }
}

/* Runs one access loop; 1 if it faulted (self->sig, code, fault_addr say how), else 0. */
static int guarded(struct slot *self, void (*loop)(const struct access *), const struct access *x)
{
    if (sigsetjmp(self->jb, 1)) {
        self->in_access = 0;
        return 1;
    }
    self->in_access = 1;
    loop(x);
    self->in_access = 0;
    return 0;
}

/* ---- requests ---- */

static void do_syscall(struct slot *self, const struct request *rq)
{
    long args[6];
    for (int i = 0; i < 6; i++)
        args[i] = (long)rq->a[i + 1];
    if (rq->len > sizeof self->io - 1) {
        reply(self, -E2BIG, NULL, 0);
        return;
    }
    if (rq->len > 0)
        recv_all(self, self->io, rq->len);
    self->io[rq->len] = 0; /* a string argument, possibly empty */
    if (rq->in_arg >= 1 && rq->in_arg <= 6)
        args[rq->in_arg - 1] = (long)(uintptr_t)self->io;
    if (rq->in_arg2 >= 1 && rq->in_arg2 <= 6 && rq->in_off2 <= rq->len)
        args[rq->in_arg2 - 1] = (long)(uintptr_t)(self->io + rq->in_off2);
    int in_out = rq->out_arg != 0 && rq->out_arg == rq->in_arg;
    uint64_t out_len = rq->pad == 0 ? 32 : rq->pad > sizeof self->out ? sizeof self->out : rq->pad;
    if (rq->out_arg >= 1 && rq->out_arg <= 6 && !in_out) {
        memset(self->out, 0, out_len);
        args[rq->out_arg - 1] = (long)(uintptr_t)self->out;
    }
    long r = rsys((long)rq->a[0], args[0], args[1], args[2], args[3], args[4], args[5]);
    if (in_out)
        reply(self, r, self->io, rq->len);
    else if (r >= 0 && rq->out_arg)
        reply(self, r, self->out, out_len);
    else
        reply(self, r, NULL, 0);
}

static void do_store(struct slot *self, const struct request *rq)
{
    uint64_t addr = rq->a[0];
    uint64_t left = rq->len;
    int faulted = 0;
    while (left > 0) {
        uint64_t n = left < IO_SIZE ? left : IO_SIZE;
        recv_all(self, self->io, n);
        if (!faulted) {
            struct access x = { .addr = addr, .n = n, .buf = self->io };
            faulted = guarded(self, store_loop, &x);
        }
        addr += n;
        left -= n;
    }
    reply_access(self, faulted);
}

static void do_load(struct slot *self, const struct request *rq)
{
    uint64_t addr = rq->a[0];
    uint64_t left = rq->a[1];
    while (left > 0) {
        uint64_t n = left < IO_SIZE ? left : IO_SIZE;
        struct access x = { .addr = addr, .n = n, .buf = self->io };
        if (guarded(self, load_loop, &x)) {
            reply_access(self, 1);
            return;
        }
        reply(self, 1, self->io, n);
        addr += n;
        left -= n;
    }
    reply_access(self, 0);
}

static void do_proc(struct slot *self, const struct request *rq)
{
    if (rq->a[0] >= sizeof s_proc_files / sizeof s_proc_files[0]) {
        reply(self, -EINVAL, NULL, 0);
        return;
    }
    long fd = rsys(SYS_openat, AT_FDCWD, (long)s_proc_files[rq->a[0]], O_RDONLY | O_CLOEXEC, 0, 0, 0);
    if (fd < 0) {
        reply(self, fd, NULL, 0);
        return;
    }
    for (;;) {
        long n = RSYS3(SYS_read, fd, self->io, sizeof self->io);
        if (n == -EINTR)
            continue;
        if (n < 0) {
            RSYS1(SYS_close, fd);
            reply(self, n, NULL, 0);
            return;
        }
        if (n == 0)
            break;
        reply(self, 1, self->io, (uint64_t)n);
    }
    RSYS1(SYS_close, fd);
    reply(self, 0, NULL, 0);
}

static void do_pagemap(struct slot *self, const struct request *rq)
{
    long fd = rsys(SYS_openat, AT_FDCWD, (long)"/proc/self/pagemap", O_RDONLY | O_CLOEXEC, 0, 0, 0);
    if (fd < 0) {
        reply(self, fd, NULL, 0);
        return;
    }
    uint64_t entry = 0;
    long n = rsys(SYS_pread64, fd, (long)&entry, sizeof entry, (long)((rq->a[0] >> 12) * sizeof entry), 0, 0);
    RSYS1(SYS_close, fd);
    if (n != (long)sizeof entry)
        reply(self, n < 0 ? n : -EIO, NULL, 0);
    else
        reply(self, 0, &entry, sizeof entry);
}

static void serve(struct slot *self);

/* A cloned task starts here, on its slot's stack: its own signal stack, its connection, then serving. */
__attribute__((used, noinline, noreturn)) void mmsim_thread_main(struct slot *self)
{
    stack_t ss = { .ss_sp = self->altstack, .ss_size = sizeof self->altstack };
    RSYS2(SYS_sigaltstack, &ss, 0);
    connect_back(self);
    serve(self);
    __builtin_unreachable();
}

/* clone(2) of a thread onto slot's stack; the child calls mmsim_thread_main(slot) and never returns here. */
static long clone_thread(struct slot *slot)
{
    const unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM
                                | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
    register long rax __asm__("rax") = SYS_clone;
    register long rdi __asm__("rdi") = (long)flags;
    register long rsi __asm__("rsi") = (long)(slot->stack + sizeof slot->stack);
    register long rdx __asm__("rdx") = (long)&slot->tid;
    register long r10 __asm__("r10") = (long)&slot->tid;
    register long r8 __asm__("r8") = 0;
    register long r12 __asm__("r12") = (long)slot;
    __asm__ volatile("syscall\n\t"
                     "test %%rax, %%rax\n\t"
                     "jnz 1f\n\t"
                     "xor %%ebp, %%ebp\n\t"
                     "mov %%r12, %%rdi\n\t"
                     "and $-16, %%rsp\n\t"
                     "call mmsim_thread_main\n\t"
                     "hlt\n"
                     "1:"
                     : "+r"(rax)
                     : "r"(rdi), "r"(rsi), "r"(rdx), "r"(r10), "r"(r8), "r"(r12)
                     : "rcx", "r11", "memory");
    return rax;
}

static void do_thread(struct slot *self)
{
    for (int i = 1; i < NSLOTS; i++) {
        struct slot *slot = &s_slots[i];
        if (slot->tid != 0 || slot == self)
            continue;
        long tid = clone_thread(slot);
        reply(self, tid, NULL, 0);
        return;
    }
    reply(self, -EAGAIN, NULL, 0);
}

static void do_fork(struct slot *self)
{
    long pid = RSYS0(SYS_fork);
    if (pid != 0) {
        reply(self, pid, NULL, 0);
        return;
    }
    /* The child: one task, this one.  Every connection is the parent's; every other slot is free. */
    for (int i = 0; i < NSLOTS; i++) {
        RSYS1(SYS_close, CONN_FD + i);
        if (&s_slots[i] != self)
            s_slots[i].tid = 0;
    }
    if (self != &s_slots[0])
        self->tid = (int)RSYS0(SYS_gettid);
    connect_back(self);
}

static void serve(struct slot *self)
{
    for (;;) {
        struct request rq;
        recv_all(self, &rq, sizeof rq);
        switch (rq.op) {
        case OP_SYSCALL:
            do_syscall(self, &rq);
            break;
        case OP_FORK:
            do_fork(self);
            break;
        case OP_EXIT:
            reply(self, 0, NULL, 0);
            RSYS1(SYS_exit_group, (int)rq.a[0]);
            break;
        case OP_STORE:
            do_store(self, &rq);
            break;
        case OP_FILL: {
            struct access x = { .addr = rq.a[0], .n = rq.a[1], .value = (unsigned char)rq.a[2] };
            reply_access(self, guarded(self, fill_loop, &x));
            break;
        }
        case OP_TOUCH: {
            struct access x = { .addr = rq.a[0], .n = rq.a[1], .write = rq.a[2] != 0 };
            reply_access(self, guarded(self, touch_loop, &x));
            break;
        }
        case OP_LOAD:
            do_load(self, &rq);
            break;
        case OP_PROC:
            do_proc(self, &rq);
            break;
        case OP_THREAD:
            do_thread(self);
            break;
        case OP_PAGEMAP:
            do_pagemap(self, &rq);
            break;
        case OP_EXIT_THREAD:
            reply(self, 0, NULL, 0);
            RSYS1(SYS_close, conn_fd(self));
            RSYS1(SYS_exit, (int)rq.a[0]);
            break;
        default:
            say("mmsim-host: unknown request\n");
            RSYS1(SYS_exit_group, 126);
        }
    }
}

/* ---- start-up ---- */

static void set_limit(int resource, rlim_t cur, rlim_t max)
{
    struct rlimit rl = { cur, max };
    if (setrlimit(resource, &rl) == 0)
        return;
    /* Unprivileged, a hard limit cannot be raised: keep the one we have. */
    struct rlimit old;
    if (errno == EPERM && getrlimit(resource, &old) == 0) {
        rl.rlim_max = old.rlim_max;
        if (rl.rlim_cur > rl.rlim_max)
            rl.rlim_cur = rl.rlim_max;
        if (setrlimit(resource, &rl) == 0)
            return;
    }
    die("setrlimit");
}

/* Stage 1: what must hold before exec, because exec lays out the address space from it: no randomization
 * (setarch -R) and the model's starting limits (RLIMIT_STACK decides mmap_base).  Then exec again. */
static void stage1(const char *socket_path)
{
    int persona = personality(0xffffffff);
    if (persona < 0 || personality((unsigned long)persona | ADDR_NO_RANDOMIZE) < 0)
        die("personality");
    set_limit(RLIMIT_STACK, 8ul << 20, RLIM_INFINITY);
    set_limit(RLIMIT_MEMLOCK, 8ul << 20, 8ul << 20);
    set_limit(RLIMIT_AS, RLIM_INFINITY, RLIM_INFINITY);
    set_limit(RLIMIT_DATA, RLIM_INFINITY, RLIM_INFINITY);
    set_limit(RLIMIT_CORE, 0, RLIM_INFINITY);
    set_limit(RLIMIT_NOFILE, 1024, 4096);
    /*
     * Every task of the scenario runs on one CPU, the one this started on, as the model's tasks do: per-CPU folio
     * batches (LRU adds, lazyfree, deactivation) then drain where MADV_COLD/PAGEOUT/FREE drain them, so what they
     * do is deterministic. Threads and fork children inherit the mask.
     */
    int cpu = sched_getcpu();
    if (cpu >= 0) {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        if (sched_setaffinity(0, sizeof one, &one) < 0)
            die("sched_setaffinity");
    }
    /* Exec the binary by its own name, so that it shows as mmsim-host-HASH (comm) rather than "exe". */
    static char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0 || n == (ssize_t)sizeof self - 1)
        strcpy(self, "/proc/self/exe");
    else
        self[n] = 0;
    char *const argv[] = { "mmsim-host", "--serve", (char *)socket_path, NULL };
    char *const envp[] = { NULL };
    execve(self, argv, envp);
    die("execve");
}

static void __attribute__((noinline)) prefault_stack(void)
{
    volatile unsigned char probe[32 * 1024];
    for (size_t i = 0; i < sizeof probe; i += 4096)
        probe[i] = 0;
}

static int parse_hex(const char **p, uint64_t *out)
{
    uint64_t v = 0;
    const char *q = *p;
    for (;; q++) {
        int d = *q >= '0' && *q <= '9' ? *q - '0' : *q >= 'a' && *q <= 'f' ? *q - 'a' + 10 : -1;
        if (d < 0)
            break;
        v = v << 4 | (uint64_t)d;
    }
    if (q == *p)
        return 0;
    *p = q;
    *out = v;
    return 1;
}

static void reserve(uint64_t start, uint64_t end)
{
    if (mmap((void *)(uintptr_t)start, end - start, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE,
             -1, 0) == MAP_FAILED)
        die("reserving the runner's holes");
}

/* The model's processes have nothing mapped where mmap(NULL, ...) starts placing, just below mmap_base; the
 * runner has libc, ld.so, their anonymous memory and the vdso there, with holes between them.  Fill those
 * holes and put a guard page below the lowest of them, all PROT_NONE, so that scenario mappings are placed
 * below the runner's and never merge with its anonymous memory. */
static void isolate_own_mappings(void)
{
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        die("/proc/self/maps");
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, s_slots[0].io + len, sizeof s_slots[0].io - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            die("/proc/self/maps");
        if (n == 0 || len + (size_t)n == sizeof s_slots[0].io - 1)
            break;
        len += (size_t)n;
    }
    close(fd);
    s_slots[0].io[len] = 0;

    enum { MAX_RANGES = 128 };
    static uint64_t starts[MAX_RANGES], ends[MAX_RANGES];
    int count = 0;
    for (const char *p = (const char *)s_slots[0].io; *p && count < MAX_RANGES;) {
        uint64_t start, end;
        const char *line = p;
        if (parse_hex(&p, &start) && *p == '-' && (p++, parse_hex(&p, &end))
            && start >= 0x7f0000000000ul && end <= 0x800000000000ul) {
            const char *eol = strchr(line, '\n');
            if (!eol || !memmem(line, (size_t)(eol - line), "[stack]", 7)) {
                starts[count] = start;
                ends[count] = end;
                count++;
            }
        }
        const char *eol = strchr(p, '\n');
        if (!eol)
            break;
        p = eol + 1;
    }
    if (count == 0)
        return;
    for (int i = 0; i + 1 < count; i++) {
        if (ends[i] < starts[i + 1])
            reserve(ends[i], starts[i + 1]);
    }
    reserve(starts[0] - 4096, starts[0]);
}

/* The capabilities the model's first process holds: permitted, not effective (CapSets.ModelPermitted). */
#define MODEL_CAPS ((1ull << CAP_IPC_LOCK) | (1ull << CAP_SYS_RAWIO) | (1ull << CAP_SYS_PTRACE))

static void drop_privileges(void)
{
    if (geteuid() != 0)
        return;
    /* Run as nobody, no groups.  Keeping capabilities across the uid change leaves them permitted and clears
     * the effective set; of them, keep the model's three.  Like the model's process, this one is unprivileged
     * until capset() raises one. */
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 || setgroups(0, NULL) < 0 || setresgid(NOBODY, NOBODY, NOBODY) < 0
        || setresuid(NOBODY, NOBODY, NOBODY) < 0 || prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
        die("dropping privileges");
    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &header, data) < 0)
        die("capget");
    uint64_t permitted = (data[0].permitted | (uint64_t)data[1].permitted << 32) & MODEL_CAPS;
    memset(data, 0, sizeof data);
    data[0].permitted = (uint32_t)permitted;
    data[1].permitted = (uint32_t)(permitted >> 32);
    if (syscall(SYS_capset, &header, data) < 0)
        die("capset");
    /* Changing uid made the process non-dumpable; the C# side still reads and signals it. */
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

static void stage2(const char *socket_path)
{
    if (setsid() < 0)
        die("setsid");

    int null = open("/dev/null", O_RDWR);
    if (null < 0)
        die("/dev/null");
    dup2(null, 0);
    dup2(null, 1);
    if (null > 2)
        close(null);
    syscall(SYS_close_range, 3, ~0u, 0);

    if (strlen(socket_path) >= sizeof s_addr.sun_path) {
        errno = ENAMETOOLONG;
        die(socket_path);
    }
    s_addr.sun_family = AF_UNIX;
    strcpy(s_addr.sun_path, socket_path);

    drop_privileges();

    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    for (int sig = 1; sig < 65; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP)
            sigaction(sig, &sa, NULL); /* EINVAL for the libc-reserved ones is fine */
    }
    /* The model reaps a child as soon as it exits. */
    sa.sa_handler = SIG_IGN;
    sigaction(SIGCHLD, &sa, NULL);

    stack_t ss = { .ss_sp = s_slots[0].altstack, .ss_size = sizeof s_slots[0].altstack };
    if (sigaltstack(&ss, NULL) < 0)
        die("sigaltstack");
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);

    isolate_own_mappings();

    /* Touch every page the serving loop will use, every thread's included, so serving changes no counter. */
    memset(s_slots, 0, sizeof s_slots);
    prefault_stack();

    connect_back(&s_slots[0]);
    serve(&s_slots[0]);
}

int main(int argc, char **argv)
{
    if (argc == 2)
        stage1(argv[1]);
    else if (argc == 3 && strcmp(argv[1], "--serve") == 0)
        stage2(argv[2]);
    say("usage: mmsim-host SOCKET\n");
    return 2;
}
