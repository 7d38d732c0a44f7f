/*
 * mmsim-host: the process side of MmSim's host target (src/MmSim.Host/HostTarget.cs).
 *
 * Each scenario process is one of these.  The C# side listens on a Unix socket; the first runner is started
 * as `mmsim-host SOCKET`, sets up a process like the model's first process and connects; every fork() child
 * connects on its own.  Each connection then carries one request per scenario statement, answered by one
 * reply (a few for streamed data).  The runner performs the statement for real: a syscall, or CPU loads and
 * stores guarded by a SIGSEGV/SIGBUS handler that reports si_code and si_addr.
 *
 * Nothing in the serving loop allocates or maps memory: every buffer is static and touched before the
 * first statement, so the runner's own address space and RSS stay as they were while scenarios run.
 *
 * Protocol (native byte order, x86-64 little endian), one connection per process:
 *   hello   runner -> C#   struct hello { u32 magic = 0x484d4d53 ("SMMH"); i32 pid; }  once, on connecting
 *   request C# -> runner   struct request { u32 op; u32 len; u8 in_arg, out_arg, in_arg2, in_off2; u32 pad; u64 a[7]; }
 *                          followed by len payload bytes
 *   reply   runner -> C#   struct reply { i64 ret; i32 sig, code; u64 addr; u64 len; } followed by len bytes
 * Ops:
 *   OP_SYSCALL  syscall(a[0], a[1..6]) -> ret (-errno on failure).  If in_arg (1..6) is set, that argument
 *               points to the payload (NUL-terminated for strings); if in_arg2 is set too, that argument
 *               points to the payload at offset in_off2 (capset's header and data); if out_arg is set, that
 *               argument points to a zeroed 32-byte buffer sent back as the reply's payload when ret == 0.
 *   OP_FORK     fork(); the child connects and says hello before serving; the parent replies the child's pid.
 *   OP_EXIT     replies ret = 0, then exit_group(a[0]).
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
#define CONN_FD 1000            /* the connection, out of the way: fds 3.. are the scenario's */
#define IO_SIZE (64 * 1024)
#define NOBODY 65534

enum { OP_SYSCALL = 1, OP_FORK, OP_EXIT, OP_STORE, OP_FILL, OP_TOUCH, OP_LOAD, OP_PROC };

struct hello { uint32_t magic; int32_t pid; };
struct request { uint32_t op, len; uint8_t in_arg, out_arg, in_arg2, in_off2; uint32_t pad; uint64_t a[7]; };
struct reply { int64_t ret; int32_t sig, code; uint64_t addr, len; };

_Static_assert(sizeof(struct request) == 72, "request layout");
_Static_assert(sizeof(struct reply) == 32, "reply layout");

static unsigned char s_io[IO_SIZE] __attribute__((aligned(4096)));
static unsigned char s_out[32] __attribute__((aligned(16)));
static unsigned char s_altstack[64 * 1024] __attribute__((aligned(4096)));
static struct sockaddr_un s_addr;

/* The fault handler's state: an access in progress jumps back to s_jb with the signal's siginfo. */
static sigjmp_buf s_jb;
static volatile sig_atomic_t s_in_access;
static volatile int s_sig, s_code;
static volatile uint64_t s_fault_addr;

static const char *const s_proc_files[] = { "/proc/self/maps", "/proc/self/smaps", "/proc/self/smaps_rollup",
                                            "/proc/self/status" };

static void say(const char *msg)
{
    ssize_t n = write(2, msg, strlen(msg));
    (void)n;
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

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (s_in_access && si->si_code > 0) {
        s_sig = sig;
        s_code = si->si_code;
        s_fault_addr = (uint64_t)(uintptr_t)si->si_addr;
        siglongjmp(s_jb, 1);
    }
    /* kill(pid, SIGSEGV) from a scenario, or a fault outside an access: the default action, as the model
     * does.  For a fault, returning re-executes the instruction; a sent signal is raised again. */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(sig, &dfl, NULL);
    if (si->si_code <= 0)
        syscall(SYS_kill, syscall(SYS_getpid), sig);
}

/* ---- the connection ---- */

static void send_all(const void *buf, size_t n)
{
    const unsigned char *p = buf;
    while (n > 0) {
        ssize_t w = send(CONN_FD, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(0); /* the C# side is gone: nothing left to serve */
        p += w;
        n -= (size_t)w;
    }
}

static void recv_all(void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t r = recv(CONN_FD, p, n, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            _exit(0);
        p += r;
        n -= (size_t)r;
    }
}

static void reply(int64_t ret, const void *data, uint64_t len)
{
    struct reply r = { .ret = ret, .len = len };
    send_all(&r, sizeof r);
    if (len > 0)
        send_all(data, len);
}

static void reply_access(int faulted)
{
    struct reply r = { 0 };
    if (faulted) {
        r.sig = s_sig;
        r.code = s_code;
        r.addr = s_fault_addr;
    }
    send_all(&r, sizeof r);
}

static void connect_back(void)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        die("socket");
    if (connect(fd, (struct sockaddr *)&s_addr, sizeof s_addr) < 0)
        die("connect");
    if (fd != CONN_FD) {
        if (dup2(fd, CONN_FD) < 0)
            die("dup2");
        close(fd);
    }
    struct hello h = { HELLO_MAGIC, (int32_t)syscall(SYS_getpid) };
    send_all(&h, sizeof h);
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

/* Runs one access loop; 1 if it faulted (s_sig, s_code, s_fault_addr say how), else 0. */
static int guarded(void (*loop)(const struct access *), const struct access *x)
{
    if (sigsetjmp(s_jb, 1)) {
        s_in_access = 0;
        return 1;
    }
    s_in_access = 1;
    loop(x);
    s_in_access = 0;
    return 0;
}

/* ---- requests ---- */

static void do_syscall(const struct request *rq)
{
    long args[6];
    for (int i = 0; i < 6; i++)
        args[i] = (long)rq->a[i + 1];
    if (rq->len > sizeof s_io - 1) {
        reply(-E2BIG, NULL, 0);
        return;
    }
    if (rq->len > 0)
        recv_all(s_io, rq->len);
    s_io[rq->len] = 0; /* a string argument, possibly empty */
    if (rq->in_arg >= 1 && rq->in_arg <= 6)
        args[rq->in_arg - 1] = (long)(uintptr_t)s_io;
    if (rq->in_arg2 >= 1 && rq->in_arg2 <= 6 && rq->in_off2 <= rq->len)
        args[rq->in_arg2 - 1] = (long)(uintptr_t)(s_io + rq->in_off2);
    if (rq->out_arg >= 1 && rq->out_arg <= 6) {
        memset(s_out, 0, sizeof s_out);
        args[rq->out_arg - 1] = (long)(uintptr_t)s_out;
    }
    long r = syscall((long)rq->a[0], args[0], args[1], args[2], args[3], args[4], args[5]);
    if (r == -1)
        r = -errno;
    if (r == 0 && rq->out_arg)
        reply(0, s_out, sizeof s_out);
    else
        reply(r, NULL, 0);
}

static void do_store(const struct request *rq)
{
    uint64_t addr = rq->a[0];
    uint64_t left = rq->len;
    int faulted = 0;
    while (left > 0) {
        uint64_t n = left < IO_SIZE ? left : IO_SIZE;
        recv_all(s_io, n);
        if (!faulted) {
            struct access x = { .addr = addr, .n = n, .buf = s_io };
            faulted = guarded(store_loop, &x);
        }
        addr += n;
        left -= n;
    }
    reply_access(faulted);
}

static void do_load(const struct request *rq)
{
    uint64_t addr = rq->a[0];
    uint64_t left = rq->a[1];
    while (left > 0) {
        uint64_t n = left < IO_SIZE ? left : IO_SIZE;
        struct access x = { .addr = addr, .n = n, .buf = s_io };
        if (guarded(load_loop, &x)) {
            reply_access(1);
            return;
        }
        reply(1, s_io, n);
        addr += n;
        left -= n;
    }
    reply_access(0);
}

static void do_proc(const struct request *rq)
{
    if (rq->a[0] >= sizeof s_proc_files / sizeof s_proc_files[0]) {
        reply(-EINVAL, NULL, 0);
        return;
    }
    int fd = open(s_proc_files[rq->a[0]], O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        reply(-errno, NULL, 0);
        return;
    }
    for (;;) {
        ssize_t n = read(fd, s_io, sizeof s_io);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            reply(-e, NULL, 0);
            return;
        }
        if (n == 0)
            break;
        reply(1, s_io, (uint64_t)n);
    }
    close(fd);
    reply(0, NULL, 0);
}

static void serve(void)
{
    for (;;) {
        struct request rq;
        recv_all(&rq, sizeof rq);
        switch (rq.op) {
        case OP_SYSCALL:
            do_syscall(&rq);
            break;
        case OP_FORK: {
            long pid = syscall(SYS_fork);
            if (pid == 0) {
                close(CONN_FD);
                connect_back();
                break;
            }
            reply(pid < 0 ? -errno : pid, NULL, 0);
            break;
        }
        case OP_EXIT:
            reply(0, NULL, 0);
            syscall(SYS_exit_group, (int)rq.a[0]);
            break;
        case OP_STORE:
            do_store(&rq);
            break;
        case OP_FILL: {
            struct access x = { .addr = rq.a[0], .n = rq.a[1], .value = (unsigned char)rq.a[2] };
            reply_access(guarded(fill_loop, &x));
            break;
        }
        case OP_TOUCH: {
            struct access x = { .addr = rq.a[0], .n = rq.a[1], .write = rq.a[2] != 0 };
            reply_access(guarded(touch_loop, &x));
            break;
        }
        case OP_LOAD:
            do_load(&rq);
            break;
        case OP_PROC:
            do_proc(&rq);
            break;
        default:
            say("mmsim-host: unknown request\n");
            _exit(126);
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
        ssize_t n = read(fd, s_io + len, sizeof s_io - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            die("/proc/self/maps");
        if (n == 0 || len + (size_t)n == sizeof s_io - 1)
            break;
        len += (size_t)n;
    }
    close(fd);
    s_io[len] = 0;

    enum { MAX_RANGES = 128 };
    static uint64_t starts[MAX_RANGES], ends[MAX_RANGES];
    int count = 0;
    for (const char *p = (const char *)s_io; *p && count < MAX_RANGES;) {
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
#define MODEL_CAPS ((1ull << CAP_IPC_LOCK) | (1ull << CAP_SYS_RAWIO))

static void drop_privileges(void)
{
    if (geteuid() != 0)
        return;
    /* Run as nobody, no groups.  Keeping capabilities across the uid change leaves them permitted and clears
     * the effective set; of them, keep the model's two.  Like the model's process, this one is unprivileged
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

    stack_t ss = { .ss_sp = s_altstack, .ss_size = sizeof s_altstack };
    if (sigaltstack(&ss, NULL) < 0)
        die("sigaltstack");
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);

    isolate_own_mappings();

    /* Touch every page the serving loop will use, so serving changes no counter. */
    memset(s_io, 0, sizeof s_io);
    memset(s_altstack, 0, sizeof s_altstack);
    memset(s_out, 0, sizeof s_out);
    prefault_stack();

    connect_back();
    serve();
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
