using System.CommandLine;
using System.CommandLine.Invocation;
using MmSim.Scenario;

namespace MmSim.Cli;

/// <summary>The <c>mmsim</c> command line: one class per verb, output through the writers given.</summary>
public static class MmSimCli
{
    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        Run(args, new CliContext(output, error, () => new ModelTarget(), NewHostTarget));

    private static IScenarioTarget NewHostTarget()
    {
        try
        {
            return new MmSim.Host.HostTarget();
        }
        catch (MmSim.Host.HostUnavailableException e)
        {
            throw new HostUnavailable(e.Message);
        }
    }

    internal static int Run(string[] args, CliContext context)
    {
        var root = new RootCommand(
            "MmSim, an executable model of the Linux 6.18 virtual-memory subsystem. It runs scenarios: "
            + "files (*.mms) of syscalls and memory accesses in strace's notation, each with the result Linux gives.")
        {
            new RunVerb(context).Command,
            new CheckVerb(context).Command,
            new DiffVerb(context).Command,
            new FuzzVerb(context).Command,
        };

        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var e in parse.Errors)
                context.Error.WriteLine($"mmsim: {e.Message}");
            context.Error.WriteLine("Try 'mmsim --help'.");
            return (int)ExitCode.BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                Output = context.Output,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception e)
        {
            // Whatever a user typed ends in a message and an exit code, never in a .NET stack trace.
            context.Error.WriteLine($"mmsim: internal error (a bug in mmsim, please report it): {e.GetType().Name}: {e.Message}");
            return (int)ExitCode.Failed;
        }
    }

    /// <summary>
    /// A path argument that takes any number of values would swallow a mistyped option as a file name;
    /// report it as the unknown option it is (a file named "-x" can be given as "./-x").
    /// </summary>
    internal static Argument<string[]> RejectingOptions(this Argument<string[]> paths)
    {
        paths.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.StartsWith('-') && token.Value != "-")
                    result.AddError($"Unrecognized option '{token.Value}'.");
            }
        });
        return paths;
    }
}
