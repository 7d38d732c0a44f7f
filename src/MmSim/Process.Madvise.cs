using System.Buffers.Binary;
using MmSim.Abi;
using MmSim.Fs;
using MmSim.Mm;
using MmSim.Userfaultfd;

namespace MmSim;

// madvise(2), pidfd_open(2) and process_madvise(2): mm/madvise.c's entry points and kernel/pid.c's pidfd.
public sealed partial class Process
{
    /// <summary>
    /// madvise(2). A MADV_DONTNEED or MADV_REMOVE of a VMA registered with a userfaultfd that wants
    /// UFFD_FEATURE_EVENT_REMOVE stops before acting: the caller sleeps until the REMOVE is read, then the rest goes on.
    /// </summary>
    public long Madvise(ulong addr, ulong length, int advice)
    {
        if (!TryGetMm(out var mm))
            return Err(Errno.ESRCH);
        if (Current.PendingEvents is not null)
            return UserfaultfdCtx.Continue(Current);
        mm.BeginUffdEvents();
        return DeliverMadviseEvents(mm, mm.DoMadvise(addr, length, advice), then: null);
    }

    /// <summary>
    /// The end of one madvise range: with no event, <paramref name="then"/> of the result (or the result itself);
    /// with a REMOVE event, the caller sleeps until it is read and the range goes on where it stopped.
    /// </summary>
    private long DeliverMadviseEvents(MmStruct mm, long ret, Func<long, long>? then)
    {
        if (ret == MmStruct.MadviseLivelock)
        {
            // The syscall restarts forever: the task never returns from it (it spins; only a fatal signal ends it).
            _ = mm.EndUffdEvents();
            Current.Block(Livelock);
            return TaskStruct.Blocked;
        }
        if (mm.EndUffdEvents() is not { } events)
            return then is null ? ret : then(ret);
        var batch = new UffdEventBatch(events, ret);
        if (ret == MmStruct.MadviseSuspended)
        {
            var state = mm.TakeMadviseResume();
            batch.Then = () =>
            {
                mm.BeginUffdEvents();
                return DeliverMadviseEvents(mm, mm.ResumeMadvise(state), then);
            };
        }
        else if (then is not null)
        {
            batch.Then = () => then(ret);
        }
        return UserfaultfdCtx.Deliver(Current, batch);
    }

    /// <summary>What a task spinning in a syscall that restarts forever waits on: nothing ever wakes it.</summary>
    private static readonly object Livelock = new();

    /// <summary>
    /// pidfd_open(2): an fd referring to process <paramref name="pid"/> (its thread group leader), or with
    /// PIDFD_THREAD to that one thread. EINVAL for other flags or a pid &lt;= 0, ESRCH when no such task lives, ENOENT
    /// for a thread's id without PIDFD_THREAD (measured on 6.18). The file is O_RDWR and close-on-exec; PIDFD_NONBLOCK makes it O_NONBLOCK.
    /// </summary>
    public long PidfdOpen(int pid, uint flags)
    {
        if (!IsAlive)
            return Err(Errno.ESRCH);
        if ((flags & ~(uint)(Abi.Pidfd.PIDFD_NONBLOCK | Abi.Pidfd.PIDFD_THREAD)) != 0 || pid <= 0)
            return Err(Errno.EINVAL);
        if (Kernel.FindTask(pid) is not { } task || !task.Process.IsAlive)
            return Err(Errno.ESRCH);
        bool thread = (flags & Abi.Pidfd.PIDFD_THREAD) != 0;
        if (!thread && !task.IsLeader)
            return Err(Errno.ENOENT);
        long fd = AllocFd();
        if (fd >= 0)
            _fds[(int)fd] = new OpenFile(new PidfdFile(Kernel, pid, thread), (int)flags & OpenFlags.O_NONBLOCK);
        return fd;
    }

    /// <summary>
    /// process_madvise(2): the advice over each struct iovec {iov_base, iov_len} of <paramref name="vec"/>, in the
    /// mm of the process <paramref name="pidfd"/> names. Checked in 6.18's order: flags (EINVAL), the vector (more than
    /// UIO_MAXIOV entries EINVAL, unreadable EFAULT), the pidfd (EBADF for a bad fd or another kind of file, ESRCH
    /// once its process is gone), PTRACE_MODE_READ access to another process (EACCES), for another process only COLD,
    /// PAGEOUT, WILLNEED and COLLAPSE (EINVAL) with CAP_SYS_NICE (EPERM). On the caller's own mm an invalid advice is
    /// EINVAL at the first range that is not empty (an empty vector does nothing, successfully: measured on 6.18).
    /// Returns the bytes of the ranges done before the first that failed, or its error when it is the first.
    /// </summary>
    public long ProcessMadvise(int pidfd, UserPtr vec, ulong vlen, int advice, uint flags)
    {
        if (!IsAlive)
            return Err(Errno.ESRCH);
        if (Current.PendingEvents is not null)
            return UserfaultfdCtx.Continue(Current);
        if (flags != 0)
            return Err(Errno.EINVAL);
        if (ImportIovec(vec, vlen, out var iov) is var err and < 0)
            return err;
        if (!_fds.TryGetValue(pidfd, out var of) || of.Pidfd is not { } pf)
            return Err(Errno.EBADF);
        if (pf.GroupLeader is not { } task || task.Process.Mm is not { } mm)
            return Err(Errno.ESRCH);
        bool remote = task.Process != this;
        // mm_access(PTRACE_MODE_READ_FSCREDS).
        if (remote && !PtraceMayRead(task))
            return Err(Errno.EACCES);
        // An invalid advice on the caller's own mm is found range by range: with nothing to do, there is no error.
        var info = MadviseTable.Of(advice);
        if (remote && !info.Remote)
            return Err(Errno.EINVAL);
        if (remote && !Capabilities.HasEffective(Capability.CAP_SYS_NICE))
            return Err(Errno.EPERM);
        return VectorMadvise(mm, iov, 0, 0, info);
    }

    /// <summary>MAX_RW_COUNT: what one read, write or iovec import handles at most (INT_MAX rounded down to a page).</summary>
    private const ulong MaxRwCount = 0x7ffff000;

    /// <summary>
    /// import_iovec(): at most UIO_MAXIOV entries of 16 bytes, readable; a length that is negative as an ssize_t is
    /// EINVAL; lengths past MAX_RW_COUNT in all are cut to fit it (measured on 6.18: the result never exceeds it).
    /// </summary>
    private long ImportIovec(UserPtr vec, ulong vlen, out (ulong Base, ulong Len)[] iov)
    {
        iov = [];
        if (vlen > Abi.Pidfd.UIO_MAXIOV)
            return Err(Errno.EINVAL);
        if (vlen == 0)
            return 0;
        var bytes = new byte[checked((int)vlen * 16)];
        if (!CopyFromUser(vec, bytes))
            return Err(Errno.EFAULT);
        iov = new (ulong, ulong)[vlen];
        ulong total = 0;
        for (int i = 0; i < iov.Length; i++)
        {
            ulong len = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i * 16 + 8));
            if ((long)len < 0)
                return Err(Errno.EINVAL);
            len = Math.Min(len, MaxRwCount - total);
            total += len;
            iov[i] = (BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i * 16)), len);
        }
        return 0;
    }

    /// <summary>
    /// __ptrace_may_access(task, PTRACE_MODE_READ_FSCREDS) between processes of one user, all dumpable: the
    /// target's permitted capabilities must be within the caller's effective set (cap_ptrace_access_check()), unless
    /// the caller has CAP_SYS_PTRACE.
    /// </summary>
    private bool PtraceMayRead(TaskStruct target) =>
        (target.Capabilities.Permitted & ~Capabilities.Effective) == 0 || Capabilities.HasEffective(Capability.CAP_SYS_PTRACE);

    /// <summary>
    /// vector_madvise(): one pass over the ranges under one lock and, for the advices that batch TLB flushes, one
    /// mmu_gather for the whole vector (the flushes it saves are the seed's point; the TLB model counts them). A range
    /// that fails stops the vector; one that sleeps for a REMOVE event goes on, and the vector with it, once the
    /// event is read.
    /// </summary>
    private long VectorMadvise(MmStruct mm, (ulong Base, ulong Len)[] iov, int index, ulong done, MadviseInfo info)
    {
        for (; index < iov.Length; index++)
        {
            var (start, len) = iov[index];
            mm.BeginUffdEvents();
            long ret = mm.MadviseRange(start, len, info);
            if (ret == MmStruct.MadviseLivelock)
                return DeliverMadviseEvents(mm, ret, then: null);
            if (ret == MmStruct.MadviseSuspended)
            {
                int next = index + 1;
                ulong doneWith = done + len;
                ulong doneBefore = done;
                return DeliverMadviseEvents(mm, ret,
                    r => r < 0 ? VectorResult(doneBefore, r) : VectorMadvise(mm, iov, next, doneWith, info));
            }
            _ = mm.EndUffdEvents();
            if (ret < 0)
                return VectorResult(done, ret);
            done += len;
        }
        return (long)done;
    }

    /// <summary>What process_madvise returns: the bytes done, or the error when nothing was.</summary>
    private static long VectorResult(ulong done, long error) => done > 0 ? (long)done : error;
}
