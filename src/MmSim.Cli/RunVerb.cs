using System.CommandLine;
using MmSim.Scenario;

namespace MmSim.Cli;

/// <summary><c>mmsim run FILE... [--dump maps|smaps|status|vmstat] [--validate]</c></summary>
internal sealed class RunVerb
{
    private readonly CliContext _context;
    private readonly Argument<string[]> _files = new("FILE")
    {
        Description = "Scenario files (*.mms) to run, in order.",
        Arity = ArgumentArity.OneOrMore,
    };
    private readonly Option<string?> _dump = new("--dump")
    {
        Description = "After each file, print this /proc/PID view of every live process, or /proc/vmstat.",
        HelpName = "maps|smaps|status|vmstat",
    };
    private readonly Option<bool> _validate = new("--validate")
    {
        Description = "Check the model's invariants (Kernel.Validate) after every statement.",
    };

    public RunVerb(CliContext context)
    {
        _context = context;
        _files.RejectingOptions();
        _dump.AcceptOnlyFromAmong("maps", "smaps", "status", "vmstat");
        Command = new Command("run",
            "Run scenario files, echoing each statement as strace would print it, with its actual result. "
            + "A file stops at its first unmet expectation, which is reported with FILE:LINE, expected and actual.")
        {
            _files, _dump, _validate,
        };
        Command.SetAction(parse => (int)Execute(parse.GetValue(_files)!, parse.GetValue(_dump), parse.GetValue(_validate)));
    }

    public Command Command { get; }

    private ExitCode Execute(string[] files, string? dump, bool validate)
    {
        var worst = ExitCode.Passed;
        foreach (var file in files)
        {
            if (files.Length > 1)
                _context.Output.WriteLine($"# {file}");
            var result = ScenarioFile.Run(file, _context.Output, validate, _context.NewTarget,
                dump is null ? null : target => Dump(target, dump));
            if (result.Status != FileStatus.Passed)
                _context.Error.WriteLine(result.Report);
            worst = (ExitCode)Math.Max((int)worst, (int)result.ExitCode);
        }
        return worst;
    }

    private void Dump(IScenarioTarget target, string view)
    {
        if (view == "vmstat")
        {
            // Machine-wide, not per process.
            _context.Output.WriteLine("--- /proc/vmstat ---");
            _context.Output.Write(target.ProcVmstat());
            return;
        }
        // One live task per process: its threads would print the same files.
        foreach (var process in target.Processes.Where(p => p.IsAlive).DistinctBy(p => p.Tgid))
        {
            _context.Output.WriteLine($"--- /proc/{process.Tgid}/{view} ---");
            _context.Output.Write(view switch
            {
                "maps" => process.ProcMaps(),
                "smaps" => process.ProcSmaps(),
                _ => process.ProcStatus(),
            });
        }
    }
}
