using MmSim.Abi;

namespace MmSim;

/// <summary>
/// A task (struct task_struct): one thread of a <see cref="Process"/>, the thread group whose tasks share one mm,
/// one fd table, limits and capabilities. The first task is the group leader, and its tid is the process's pid;
/// the others are made by <see cref="Clone"/> (clone(CLONE_VM|CLONE_THREAD|...), pthread_create()). Tids come from
/// the same number space as pids, as on Linux.
/// </summary>
/// <remarks>
/// What is per task here: the tid, the capability sets, and whether the task has exited. A thread that exits (exit(2)) is reaped at once;
/// the process lives on while any of its tasks does, and exits, with that task's status, when its last task
/// exits. exit_group(2) and fatal signals end every task. fork(2) from any task copies the process with one task,
/// the caller's copy, whose tid is the child's pid.
/// </remarks>
public sealed class TaskStruct
{
    internal TaskStruct(Process process, int tid)
    {
        Process = process;
        Tid = tid;
    }

    /// <summary>The thread id (gettid()); equal to <see cref="Process"/>.Pid for the group leader.</summary>
    public int Tid { get; }

    /// <summary>The thread group this task belongs to.</summary>
    public Process Process { get; }

    /// <summary>The task has not exited, and its process is alive.</summary>
    public bool IsAlive => !HasExited && Process.IsAlive;

    /// <summary>The group leader: the task whose tid is the pid.</summary>
    public bool IsLeader => Tid == Process.Pid;

    internal bool HasExited { get; set; }

    /// <summary>The task's credentials' capability sets (cred->cap_*): capset() changes the caller's only.</summary>
    public CapSets Capabilities { get; internal set; }

    /// <summary>
    /// What a syscall returns when the calling task blocks in it (it sleeps in the kernel, TASK_INTERRUPTIBLE): the
    /// call has not returned. A value no syscall returns: below every -errno.
    /// </summary>
    public const long Blocked = long.MinValue;

    /// <summary>The task sleeps in a wait queue: a fault delivered to a userfaultfd, or a read() of one.</summary>
    public bool IsBlocked => WaitingOn is not null;

    /// <summary>
    /// The task was woken since it last blocked: the call it blocked in is to be retried (a fault re-walks the page
    /// tables; a read() looks for messages again). <see cref="Retried"/> clears it.
    /// </summary>
    public bool IsWoken { get; private set; }

    /// <summary>What the task waits on while <see cref="IsBlocked"/>.</summary>
    internal object? WaitingOn { get; private set; }

    /// <summary>set_current_state(TASK_INTERRUPTIBLE) and queueing: the task sleeps on <paramref name="on"/>.</summary>
    internal void Block(object on)
    {
        WaitingOn = on;
        IsWoken = false;
    }

    /// <summary>wake_up(): the task runs again, and retries the call it blocked in.</summary>
    internal void WakeUp()
    {
        if (WaitingOn is null)
            return;
        WaitingOn = null;
        IsWoken = true;
    }

    /// <summary>
    /// The userfaultfd events of the syscall this task sleeps in, with what it returns once they are read: set while a
    /// munmap, mremap, mmap, brk or madvise waits for its events, so that when woken it goes on instead of starting
    /// over (the syscall's work is done).
    /// </summary>
    internal Userfaultfd.UffdEventBatch? PendingEvents { get; set; }

    /// <summary>The userfaultfds a poll(-1) of this task waits on (it is on each one's readers), or null.</summary>
    private List<Userfaultfd.UserfaultfdCtx>? _pollingOn;

    /// <summary>poll_wait() on every polled userfaultfd; the task sleeps until one of them wakes it.</summary>
    internal void PollOn(List<Userfaultfd.UserfaultfdCtx> contexts)
    {
        _pollingOn = contexts;
        foreach (var ctx in contexts)
            ctx.Readers.Add(this);
        Block(contexts[0]);
    }

    /// <summary>poll_freewait(): off the wait queues of a poll that is over.</summary>
    internal void StopPolling()
    {
        if (_pollingOn is null)
            return;
        foreach (var ctx in _pollingOn)
            ctx.Readers.Remove(this);
        _pollingOn = null;
    }

    /// <summary>The caller has retried the blocked call (it completed, or blocked again).</summary>
    public void Retried() => IsWoken = false;

    /// <summary>The task ends while asleep: it leaves its wait queue.</summary>
    internal void CancelWait()
    {
        StopPolling();
        if (WaitingOn is Userfaultfd.UserfaultfdCtx ctx)
            ctx.Forget(this);
        // A caller killed while its events wait: none of them will be delivered, and it no longer counts in any
        // context's mmap_changing.
        if (PendingEvents is { } batch)
        {
            for (int i = batch.Next; i < batch.Events.Count; i++)
                batch.Events[i].Ctx.MmapChanging--;
            if (batch.Next > 0)
                batch.Events[batch.Next - 1].Ctx.MmapChanging--;
            PendingEvents = null;
            batch.Abort?.Invoke();
        }
        WaitingOn = null;
        IsWoken = false;
    }

    /// <summary>gettid(2).</summary>
    public long Gettid() => IsAlive ? Tid : -(long)Errno.ESRCH;

    /// <summary>
    /// clone(2) with CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, as pthread_create()
    /// makes it, with a stack the caller already has: a new task in this process, sharing its mm. Returns the tid.
    /// </summary>
    public long Clone() => IsAlive ? Process.AddThread(this).Tid : -(long)Errno.ESRCH;

    /// <summary>
    /// exit(2): ends this task only. When it was the last one, the process exits with <paramref name="code"/>; a
    /// leader that exits before its threads leaves the process running.
    /// </summary>
    public long Exit(int code)
    {
        if (!IsAlive)
            return -(long)Errno.ESRCH;
        Process.ExitThread(this, code & 0xff);
        return 0;
    }

    public override string ToString() => $"task {Tid} of process {Process.Pid}";
}
