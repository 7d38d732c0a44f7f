namespace MmSim.Fs;

/// <summary>
/// A pidfd (kernel/pid.c, kernel/fork.c pidfd_fops): a file that refers to a process, or with PIDFD_THREAD to one
/// thread, by its pid. It outlives its target: once the target is gone it gives ESRCH, and poll() says so.
/// </summary>
internal sealed class PidfdFile(Kernel kernel, int pid, bool thread)
{
    public int Pid { get; } = pid;

    /// <summary>PIDFD_THREAD: the pidfd names one task, not the thread group.</summary>
    public bool Thread { get; } = thread;

    /// <summary>The task it names while its process lives (for a process, the group leader).</summary>
    public TaskStruct? Task => kernel.FindTask(Pid) is { } t && t.Process.IsAlive && (Thread || t.IsLeader) ? t : null;

    /// <summary>
    /// pidfd_get_task() as process_madvise() calls it: the thread group its pid leads, so a PIDFD_THREAD pidfd of a
    /// thread that is not a leader finds none (ESRCH, measured on 6.18).
    /// </summary>
    public TaskStruct? GroupLeader => Task is { IsLeader: true } t ? t : null;

    /// <summary>
    /// pidfd_poll(): nothing while the process runs; POLLIN|POLLRDNORM once it has exited, with POLLHUP once it is
    /// reaped, which the model does at once.
    /// </summary>
    public int Poll() => Task is not null ? 0 : Abi.Poll.POLLIN | Abi.Poll.POLLRDNORM | Abi.Poll.POLLHUP;
}
