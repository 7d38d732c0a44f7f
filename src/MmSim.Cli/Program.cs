using System.Runtime.InteropServices;
using System.Text;
using MmSim.Cli;

// Interrupted (Ctrl-C, kill, a closed terminal): kill the scenario processes on the host kernel, stopped ones
// too, and remove their socket directories before exiting with 128 + the signal, as a shell reports it. From
// then on the verb's output is dropped: a statement cut short by the clean-up is not a divergence.
int interruptedBy = 0;
using var cleanedUp = new ManualResetEventSlim();
var output = new Gate(Console.Out);
var error = new Gate(Console.Error);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupted);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupted);
using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Interrupted);
using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Interrupted);

int code = MmSimCli.Run(args, output, error);
// The clean-up may end the verb before the handler is done: wait for it, and exit as the signal says.
if (Volatile.Read(ref interruptedBy) is var signo and not 0)
{
    cleanedUp.Wait();
    return 128 + signo;
}
return code;

void Interrupted(PosixSignalContext context)
{
    context.Cancel = true;
    output.Close();
    error.Close();
    int signo = context.Signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        _ => 15,
    };
    Console.Error.WriteLine($"mmsim: interrupted by {context.Signal}");
    Volatile.Write(ref interruptedBy, signo);
    MmSim.Host.HostTarget.DisposeAll();
    cleanedUp.Set();
    Environment.Exit(128 + signo);
}

/// <summary>A writer that passes text through until it is closed, and drops it afterwards.</summary>
internal sealed class Gate(TextWriter inner) : TextWriter
{
    private volatile bool _closed;

    public override Encoding Encoding => inner.Encoding;

    public override void Close() => _closed = true;

    public override void Write(char value)
    {
        if (!_closed)
            inner.Write(value);
    }

    public override void Write(string? value)
    {
        if (!_closed)
            inner.Write(value);
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        if (!_closed)
            inner.Write(buffer);
    }

    public override void Flush() => inner.Flush();
}
