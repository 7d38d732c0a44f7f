using System.Buffers.Binary;
using MmSim.Abi;
using MmSim.Userfaultfd;

namespace MmSim;

// poll(2), mirroring fs/select.c's do_sys_poll() over the files the model has: memfds (no poll method: always
// readable and writable) and userfaultfds (userfaultfd_poll()).
public sealed partial class Process
{
    private const int PollFdSize = 8;

    /// <summary>
    /// poll(2): struct pollfd {int fd; short events; short revents} in user memory. Each entry's revents is the
    /// file's mask filtered by events (POLLERR and POLLHUP always pass), POLLNVAL for an fd not open, 0 for a
    /// negative fd. With nothing ready, timeout 0 returns 0 and timeout -1 sleeps until a polled userfaultfd gets a
    /// fault or an event, then polls again. Time is not modelled: a positive timeout returns 0 at once, as the
    /// kernel does once it has passed. EINVAL above RLIMIT_NOFILE entries, EFAULT for unreadable ones.
    /// </summary>
    public long Poll(UserPtr fds, ulong nfds, int timeout)
    {
        if (!IsAlive)
            return Err(Errno.ESRCH);
        var task = Current;
        task.StopPolling();
        if (nfds > _rlimits[Rlimit.RLIMIT_NOFILE].Cur)
            return Err(Errno.EINVAL);
        var entries = new byte[(int)nfds * PollFdSize];
        if (nfds > 0 && !CopyFromUser(fds, entries))
            return Err(Errno.EFAULT);
        int ready = 0;
        for (int i = 0; i < (int)nfds; i++)
        {
            var entry = entries.AsSpan(i * PollFdSize, PollFdSize);
            int fd = BinaryPrimitives.ReadInt32LittleEndian(entry);
            int events = BinaryPrimitives.ReadUInt16LittleEndian(entry[4..]);
            int revents = fd < 0 ? 0 : PollMask(fd) & (events | Abi.Poll.POLLERR | Abi.Poll.POLLHUP | Abi.Poll.POLLNVAL);
            BinaryPrimitives.WriteInt16LittleEndian(entry[6..], (short)revents);
            if (revents != 0)
                ready++;
        }
        if (ready == 0 && timeout < 0 && PolledUserfaultfds(entries, (int)nfds) is { Count: > 0 } waitOn)
        {
            // poll_wait() on each userfaultfd's fd_wqh: a fault or an event wakes the task, which polls again.
            task.PollOn(waitOn);
            return TaskStruct.Blocked;
        }
        // The revents go back to user memory (EFAULT if they cannot).
        return nfds == 0 || CopyToUser(fds, entries) ? ready : Err(Errno.EFAULT);
    }

    /// <summary>vfs_poll(): a userfaultfd's userfaultfd_poll(), a memfd's DEFAULT_POLLMASK, POLLNVAL for a closed fd.</summary>
    private int PollMask(int fd)
    {
        if (!_fds.TryGetValue(fd, out var of))
            return Abi.Poll.POLLNVAL;
        if (of.Uffd is { } ctx)
            return ctx.Poll(nonBlock: (of.StatusFlags & OpenFlags.O_NONBLOCK) != 0);
        if (of.Pidfd is { } pidfd)
            return pidfd.Poll();
        return Abi.Poll.POLLIN | Abi.Poll.POLLOUT | Abi.Poll.POLLRDNORM | Abi.Poll.POLLWRNORM;
    }

    private List<UserfaultfdCtx>? PolledUserfaultfds(byte[] entries, int nfds)
    {
        List<UserfaultfdCtx>? polled = null;
        for (int i = 0; i < nfds; i++)
        {
            int fd = BinaryPrimitives.ReadInt32LittleEndian(entries.AsSpan(i * PollFdSize));
            if (_fds.TryGetValue(fd, out var of) && of.Uffd is { } ctx)
                (polled ??= []).Add(ctx);
        }
        return polled;
    }
}
