using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;

namespace MmSim.Host;

/// <summary>The requests native/mmsim-host.c serves; its header comment is the protocol's definition.</summary>
internal enum RunnerOp : uint
{
    Syscall = 1,
    Fork,
    Exit,
    Store,
    Fill,
    Touch,
    Load,
    Proc,
    Thread,
    ExitThread,
    Pagemap,
}

/// <summary>struct reply: a return value, or a signal's si_code and si_addr, then Length bytes of data.</summary>
internal readonly record struct RunnerReply(long Ret, int Signal, int Code, ulong Addr, ulong Length);

/// <summary>When a statement must have finished by.</summary>
internal readonly struct Deadline(TimeSpan timeout)
{
    private readonly long _end = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);

    public TimeSpan Timeout { get; } = timeout;

    public TimeSpan Remaining
    {
        get
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _end);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    public bool Passed => Stopwatch.GetTimestamp() >= _end;
}

/// <summary>The runner did not answer in time.</summary>
internal sealed class RunnerTimeoutException : Exception;

/// <summary>The runner's connection closed: its process is gone.</summary>
internal sealed class RunnerGoneException : Exception;

/// <summary>
/// One runner process's connection: requests out, replies in, each wait bounded by the statement's deadline.
/// Not thread-safe; a target runs one statement at a time.
/// </summary>
internal sealed class RunnerConnection : IDisposable
{
    public const int RequestSize = 72;
    public const int ReplySize = 32;
    public const int HelloSize = 16;
    public const uint HelloMagic = 0x484d4d53;

    private readonly Socket _socket;
    private readonly byte[] _header = new byte[RequestSize];
    private readonly byte[] _reply = new byte[ReplySize];

    public RunnerConnection(Socket socket)
    {
        _socket = socket;
        // Every wait goes through Poll with the deadline; a send or receive itself never blocks.
        _socket.Blocking = false;
    }

    public void Send(RunnerOp op, ReadOnlySpan<ulong> args, ReadOnlySpan<byte> payload, Deadline deadline,
        byte inArg = 0, byte outArg = 0, byte inArg2 = 0, byte inOffset2 = 0, uint outLength = 0)
    {
        Debug.Assert(args.Length <= 7);
        var h = _header.AsSpan();
        h.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(h, (uint)op);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], checked((uint)payload.Length));
        h[8] = inArg;
        h[9] = outArg;
        h[10] = inArg2;
        h[11] = inOffset2;
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], outLength);
        for (var i = 0; i < args.Length; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(h[(16 + 8 * i)..], args[i]);
        SendAll(h, deadline);
        SendAll(payload, deadline);
    }

    public RunnerReply ReceiveReply(Deadline deadline)
    {
        ReceiveExact(_reply, deadline);
        var r = _reply.AsSpan();
        return new RunnerReply(
            BinaryPrimitives.ReadInt64LittleEndian(r),
            BinaryPrimitives.ReadInt32LittleEndian(r[8..]),
            BinaryPrimitives.ReadInt32LittleEndian(r[12..]),
            BinaryPrimitives.ReadUInt64LittleEndian(r[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(r[24..]));
    }

    /// <summary>Reads struct hello: the connecting task's process id and thread id.</summary>
    public (int Pid, int Tid) ReceiveHello(Deadline deadline)
    {
        Span<byte> hello = stackalloc byte[HelloSize];
        ReceiveExact(hello, deadline);
        if (BinaryPrimitives.ReadUInt32LittleEndian(hello) != HelloMagic)
            throw new InvalidDataException("the host runner's hello has the wrong magic number");
        return (BinaryPrimitives.ReadInt32LittleEndian(hello[4..]), BinaryPrimitives.ReadInt32LittleEndian(hello[8..]));
    }

    public void ReceiveExact(Span<byte> into, Deadline deadline)
    {
        while (!into.IsEmpty)
        {
            WaitReadable(deadline);
            int n;
            try
            {
                n = _socket.Receive(into);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                continue;
            }
            catch (SocketException)
            {
                throw new RunnerGoneException();
            }
            if (n == 0)
                throw new RunnerGoneException();
            into = into[n..];
        }
    }

    /// <summary>Waits until the peer closes the connection (its process has ended).</summary>
    public void WaitClosed(Deadline deadline)
    {
        Span<byte> discard = stackalloc byte[256];
        try
        {
            while (true)
                ReceiveExact(discard, deadline);
        }
        catch (RunnerGoneException)
        {
        }
    }

    /// <summary>Whether the peer has closed the connection, without waiting.</summary>
    public bool PeerClosed()
    {
        try
        {
            return _socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    public void Dispose() => _socket.Dispose();

    private void WaitReadable(Deadline deadline)
    {
        bool ready;
        try
        {
            ready = _socket.Poll(deadline.Remaining, SelectMode.SelectRead);
        }
        catch (SocketException)
        {
            throw new RunnerGoneException();
        }
        if (!ready)
            throw new RunnerTimeoutException();
    }

    private void SendAll(ReadOnlySpan<byte> data, Deadline deadline)
    {
        while (!data.IsEmpty)
        {
            try
            {
                if (!_socket.Poll(deadline.Remaining, SelectMode.SelectWrite))
                    throw new RunnerTimeoutException();
                data = data[_socket.Send(data)..];
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
            }
            catch (SocketException)
            {
                throw new RunnerGoneException();
            }
        }
    }
}
