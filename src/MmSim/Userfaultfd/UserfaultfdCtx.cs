using System.Buffers.Binary;
using MmSim.Mm;

namespace MmSim.Userfaultfd;

/// <summary>
/// struct uffd_msg, 32 bytes: the event, then its three 64-bit words. A page fault has the flags, the address and the
/// faulting thread's id (UFFD_FEATURE_THREAD_ID, 32 bits); REMAP has from, to and len; REMOVE and UNMAP start and
/// end; FORK the new fd (32 bits). Reserved bytes and padding are zero.
/// </summary>
public readonly record struct UffdMsg(int Event, ulong Flags, ulong Address, ulong Arg2)
{
    public const int Size = 32;

    /// <summary>The page fault's thread id (pagefault.feat.ptid).</summary>
    public uint Ptid => (uint)Arg2;

    public static UffdMsg Remap(ulong from, ulong to, ulong len) => new(Abi.Uffd.UFFD_EVENT_REMAP, from, to, len);

    /// <summary>UFFD_EVENT_REMOVE or UFFD_EVENT_UNMAP over [start, end) (the remove member of the union).</summary>
    public static UffdMsg Range(int ev, ulong start, ulong end) => new(ev, start, end, 0);

    /// <summary>UFFD_EVENT_FORK: the new userfaultfd's fd in the reader's table (fork.ufd, 32 bits).</summary>
    public static UffdMsg Fork(int ufd) => new(Abi.Uffd.UFFD_EVENT_FORK, (uint)ufd, 0, 0);

    public void WriteTo(Span<byte> into)
    {
        into[..Size].Clear();
        into[0] = (byte)Event;
        BinaryPrimitives.WriteUInt64LittleEndian(into[8..], Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(into[16..], Address);
        BinaryPrimitives.WriteUInt64LittleEndian(into[24..], Arg2);
    }
}

/// <summary>
/// A non-cooperative event for <paramref name="Ctx"/>. A FORK carries the context made for the child
/// (<paramref name="Forked"/>, msg.arg.reserved.reserved1 in the kernel) instead of an fd: the fd is made when the
/// event is read, in the reader's table.
/// </summary>
internal readonly record struct UffdEvent(UserfaultfdCtx Ctx, UffdMsg Msg, UserfaultfdCtx? Forked = null);

/// <summary>
/// A non-cooperative event waiting to be read (userfaultfd_event_wait_completion()): its message and the task that
/// caused it, asleep until a read() takes the message or the context is released.
/// </summary>
internal sealed class UffdEventWait(UffdMsg msg, TaskStruct task, UserfaultfdCtx? forked)
{
    public UffdMsg Msg { get; } = msg;
    public TaskStruct Task { get; } = task;

    /// <summary>For a FORK, the child's new context, whose fd the read() installs.</summary>
    public UserfaultfdCtx? Forked { get; } = forked;
}

/// <summary>
/// struct userfaultfd_wait_queue: a task blocked in handle_userfault() on a context, with the message describing
/// its fault. It sits on fault_pending_wqh until read(), then on fault_wqh until a wake-up for its address.
/// </summary>
internal sealed class UffdWaitQueue(UffdMsg msg, TaskStruct task)
{
    public UffdMsg Msg { get; } = msg;
    public TaskStruct Task { get; } = task;
}

/// <summary>
/// struct userfaultfd_ctx (fs/userfaultfd.c): the state behind a userfaultfd. It belongs to the mm of the process
/// that created it (ctx->mm) whoever calls on it: an fd inherited by fork() still acts on the creator's memory.
/// VMAs registered with it carry it in <see cref="Vma.UffdCtx"/>.
/// </summary>
/// <remarks>
/// Invariants: a task is in at most one wait queue of one context; <see cref="FaultPending"/> holds faults not yet
/// read, oldest first, <see cref="Faults"/> those read and not yet woken. Once <see cref="Released"/>, no VMA
/// carries the context and no task waits on it.
/// </remarks>
internal sealed partial class UserfaultfdCtx
{
    private static long s_nextId;

    public UserfaultfdCtx(MmStruct mm, int flags)
    {
        Mm = mm;
        Flags = flags;
        Id = Interlocked.Increment(ref s_nextId);
    }

    /// <summary>
    /// dup_userfaultfd(): the context a fork makes for the child's VMAs registered with <paramref name="orig"/>
    /// (which asked for UFFD_FEATURE_EVENT_FORK): same flags and features, already past its handshake.
    /// </summary>
    private UserfaultfdCtx(MmStruct childMm, UserfaultfdCtx orig) : this(childMm, orig.Flags)
    {
        Features = orig.Features;
        Initialized = true;
    }

    public long Id { get; }

    /// <summary>ctx->mm: the address space the context serves.</summary>
    public MmStruct Mm { get; }

    /// <summary>userfaultfd(2)'s flags: UFFD_USER_MODE_ONLY, O_NONBLOCK, O_CLOEXEC.</summary>
    public int Flags { get; }

    /// <summary>ctx->features: the features UFFDIO_API asked for (0 before it).</summary>
    public ulong Features { get; private set; }

    /// <summary>UFFD_STATE_RUNNING: UFFDIO_API has succeeded.</summary>
    public bool Initialized { get; private set; }

    /// <summary>The last reference to the file is gone (userfaultfd_release()).</summary>
    public bool Released { get; private set; }

    /// <summary>fault_pending_wqh: faults not yet read, oldest first.</summary>
    public List<UffdWaitQueue> FaultPending { get; } = [];

    /// <summary>fault_wqh: faults read by the monitor, still blocked until a wake-up.</summary>
    public List<UffdWaitQueue> Faults { get; } = [];

    /// <summary>fd_wqh: tasks blocked in read() on this context.</summary>
    public List<TaskStruct> Readers { get; } = [];

    /// <summary>event_wqh: events not yet read, oldest first; read() returns them after every pending fault.</summary>
    public List<UffdEventWait> EventPending { get; } = [];

    /// <summary>
    /// ctx->mmap_changing: how many callers of a syscall with an event for this context have not returned yet. While
    /// it is not zero, COPY, ZEROPAGE, CONTINUE, POISON, MOVE and WRITEPROTECT fail with EAGAIN.
    /// </summary>
    public int MmapChanging { get; set; }

    public bool Has(ulong feature) => (Features & feature) != 0;

    public override string ToString() => $"userfaultfd#{Id}";
}
