using System.CommandLine;

namespace MmSim.Cli;

/// <summary><c>mmsim check FILE|DIR...</c>: the golden-file test runner.</summary>
internal sealed class CheckVerb
{
    private readonly CliContext _context;
    private readonly Argument<string[]> _paths = new("FILE|DIR")
    {
        Description = "Scenario files, or directories searched recursively for *.mms files.",
        Arity = ArgumentArity.OneOrMore,
    };

    public CheckVerb(CliContext context)
    {
        _context = context;
        _paths.RejectingOptions();
        Command = new Command("check",
            "Run scenario files quietly, checking the model's invariants after every statement. "
            + "Prints one line per failing file and a final 'N passed, N failed'.")
        {
            _paths,
        };
        Command.SetAction(parse => (int)Execute(parse.GetValue(_paths)!));
    }

    public Command Command { get; }

    private ExitCode Execute(string[] paths)
    {
        int passed = 0, failed = 0;
        var badInput = false;
        foreach (var file in paths.SelectMany(ScenarioFile.Expand))
        {
            var result = ScenarioFile.Run(file, TextWriter.Null, validate: true, _context.NewTarget);
            if (result.Status == FileStatus.Passed)
            {
                passed++;
                continue;
            }
            failed++;
            badInput |= result.ExitCode == ExitCode.BadInput;
            _context.Output.WriteLine(result.Failure?.Summary ?? result.Report);
        }
        _context.Output.WriteLine($"{passed} passed, {failed} failed");
        return badInput ? ExitCode.BadInput : failed > 0 ? ExitCode.Failed : ExitCode.Passed;
    }
}
