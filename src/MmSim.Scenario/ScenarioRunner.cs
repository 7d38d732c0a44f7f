using System.Text;
using MmSim.Abi;

namespace MmSim.Scenario;

public sealed record ScenarioRunOptions
{
    /// <summary>Run the target's <see cref="IScenarioTarget.Validate"/> (the model's CONFIG_DEBUG_VM) after every statement.</summary>
    public bool Validate { get; init; }
}

public enum ScenarioFailureKind
{
    /// <summary>The statement's result is not the expected one.</summary>
    UnmetExpectation,
    /// <summary>The statement cannot run as written, e.g. in a process that has exited.</summary>
    RuntimeError,
    /// <summary>The model broke an invariant or threw: a bug in MmSim, not in the scenario.</summary>
    ModelBug,
}

/// <summary>Why a scenario stopped: where, the statement as written, and what went wrong.</summary>
public sealed record ScenarioFailure(ScenarioFailureKind Kind, SourcePos Pos, string Statement, string Message)
{
    /// <summary>One line: <c>FILE:LINE: error: expected 0, got -1 EINVAL (Invalid argument)</c>.</summary>
    public string Summary =>
        $"{Pos.FileLine}: {(Kind == ScenarioFailureKind.ModelBug ? "model bug" : "error")}: {SourceText.Printable(Message)}";

    /// <summary>The summary and, indented under it, the statement (its control characters escaped).</summary>
    public override string ToString() => $"{Summary}\n    {SourceText.Printable(Statement)}";
}

public sealed record ScenarioRunResult(ScenarioFailure? Failure)
{
    public bool Passed => Failure is null;
}

/// <summary>
/// Runs a parsed scenario on a target, statement by statement, echoing each as strace would print it with
/// its actual result, and stops at the first unmet expectation.
/// </summary>
public sealed class ScenarioRunner(TextWriter output, ScenarioRunOptions? options = null)
{
    /// <summary>The variable bound to the first process's pid.</summary>
    public const string MainVariable = "main";

    private readonly ScenarioRunOptions _options = options ?? new ScenarioRunOptions();

    // The calls tasks are blocked in, by tid: the statement written "<unfinished ...>" and its frame.
    private readonly Dictionary<int, (CallStatement Statement, CallFrame Frame)> _unfinished = [];

    public ScenarioRunResult Run(ScenarioScript script, IScenarioTarget target)
    {
        _unfinished.Clear();
        var variables = new Dictionary<string, long>(StringComparer.Ordinal) { [MainVariable] = target.Main.Pid };
        foreach (var statement in script.Statements)
        {
            var failure = statement switch
            {
                CallStatement call => RunCall(call, target, variables),
                ResumedStatement resumed => RunResumed(resumed, target, variables),
                _ => throw new NotSupportedException($"statement {statement.GetType().Name}"),
            };
            if (failure is not null)
                return new ScenarioRunResult(failure);
        }
        return new ScenarioRunResult(null);
    }

    private ScenarioFailure? RunCall(CallStatement statement, IScenarioTarget target, Dictionary<string, long> variables)
    {
        ScenarioFailure Fail(ScenarioFailureKind kind, string message) => new(kind, statement.Pos, statement.Source, message);

        CallFrame frame;
        Outcome outcome;
        try
        {
            var task = FindProcess(statement, target, variables);
            if (_unfinished.TryGetValue(task.Pid, out var busy))
                return Fail(ScenarioFailureKind.RuntimeError, BlockedIn(task, busy.Statement));
            (frame, outcome) = Execute(statement, target, variables);
            if (outcome is Outcome.Blocked)
            {
                if (!statement.Unfinished)
                    return Fail(ScenarioFailureKind.UnmetExpectation,
                        $"blocked: the call did not return (write it with <unfinished ...> and check it with <... {statement.Call.Name} resumed>)");
                _unfinished[frame.Process.Pid] = (statement, frame);
            }
            else if (statement.Unfinished)
            {
                Echo(statement, frame, outcome);
                return Fail(ScenarioFailureKind.UnmetExpectation, $"expected the call to block, got {Strace.Result(outcome).TrimStart('\n')}");
            }
            Echo(statement, frame, outcome);
            target.Settle();
            if (_options.Validate)
                target.Validate();
            if (outcome is Outcome.Blocked)
                return null;
        }
        catch (ScenarioRuntimeException e)
        {
            return Fail(ScenarioFailureKind.RuntimeError, e.Message);
        }
        catch (InvariantViolationException e)
        {
            return Fail(ScenarioFailureKind.ModelBug, e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The model threw where Linux returns: a model bug; where it threw is what its developer needs.
            var frameLine = e.StackTrace?.Split('\n', 2)[0].Trim();
            return Fail(ScenarioFailureKind.ModelBug, $"{e.GetType().Name}: {e.Message} {frameLine}".TrimEnd());
        }

        try
        {
            return Check(statement, frame, outcome, variables) is { } unmet
                ? Fail(ScenarioFailureKind.UnmetExpectation, unmet)
                : null;
        }
        catch (ScenarioRuntimeException e)
        {
            // The expectation itself cannot be evaluated, e.g. a shift by 300000.
            return Fail(ScenarioFailureKind.RuntimeError, e.Message);
        }
    }

    /// <summary>
    /// <c>&lt;... NAME resumed&gt;</c>: the task's unfinished call must have completed by now; its outcome is checked
    /// against this line's result and the out-parameters the call was written with.
    /// </summary>
    private ScenarioFailure? RunResumed(ResumedStatement statement, IScenarioTarget target, Dictionary<string, long> variables)
    {
        ScenarioFailure Fail(ScenarioFailureKind kind, string message) => new(kind, statement.Pos, statement.Source, message);
        try
        {
            var task = FindTask(statement.Pid, target, variables);
            if (!_unfinished.TryGetValue(task.Pid, out var blocked))
                return Fail(ScenarioFailureKind.RuntimeError, $"pid {task.Pid} has no unfinished call to resume");
            if (blocked.Statement.Call.Name != statement.Name)
                return Fail(ScenarioFailureKind.RuntimeError, $"{BlockedIn(task, blocked.Statement)}, not in {statement.Name}()");
            var outcome = Resumed(target, task, blocked.Frame);
            if (outcome is null)
                return Fail(ScenarioFailureKind.UnmetExpectation, $"still blocked in {statement.Name}() (line {blocked.Statement.Pos.Line})");
            _unfinished.Remove(task.Pid);
            var prefix = task == target.Main ? "" : $"[pid {task.Pid}] ";
            var result = Strace.Result(outcome);
            output.WriteLine($"{prefix}<... {statement.Name} resumed> ={(result.StartsWith('\n') ? "" : " ")}{result}");
            target.Settle();
            if (_options.Validate)
                target.Validate();
            var asWritten = blocked.Statement with { Expected = statement.Expected, Pos = statement.Pos, Source = statement.Source };
            return Check(asWritten, blocked.Frame, outcome, variables) is { } unmet
                ? Fail(ScenarioFailureKind.UnmetExpectation, unmet)
                : null;
        }
        catch (ScenarioRuntimeException e)
        {
            return Fail(ScenarioFailureKind.RuntimeError, e.Message);
        }
        catch (InvariantViolationException e)
        {
            return Fail(ScenarioFailureKind.ModelBug, e.Message);
        }
    }

    /// <summary>The outcome of a call the task blocked in, as <see cref="Execute"/> reports one; null while still blocked.</summary>
    internal static Outcome? Resumed(IScenarioTarget target, IScenarioProcess task, CallFrame frame)
    {
        _ = frame;
        return Ended(task, target.Resume(task));
    }

    /// <summary>
    /// A call during which its task ended ends as the task did: killed by its process's signal, or exited with its
    /// process's status (a target may see only that the task is gone). A thread's own exit() is kept as it is.
    /// </summary>
    private static Outcome? Ended(IScenarioProcess task, Outcome? outcome) =>
        outcome is null || outcome is Outcome.Exited || task.IsAlive ? outcome
        : task.KilledBySignal != 0 ? new Outcome.Killed(task.KilledBySignal)
        : new Outcome.Exited(task.ExitCode);

    internal static string BlockedIn(IScenarioProcess task, CallStatement call) =>
        $"pid {task.Pid} is blocked in {call.Call.Name}() since line {call.Pos.Line}";

    /// <summary>
    /// Runs one statement on a target with these variable bindings: the frame (arguments and out-parameters)
    /// and what happened. Expectations are not checked. Throws <see cref="ScenarioRuntimeException"/> when the
    /// statement cannot run as written.
    /// </summary>
    internal static (CallFrame Frame, Outcome Outcome) Execute(CallStatement statement, IScenarioTarget target,
        IReadOnlyDictionary<string, long> variables)
    {
        var process = FindProcess(statement, target, variables);
        var frame = new CallFrame(target, process, statement.Args.Select(a => Evaluate(a, variables)).ToArray());
        var outcome = target.Invoke(statement.Call, frame);
        outcome = Ended(process, outcome)!;
        return (frame, outcome);
    }

    /// <summary>Binds the statement's unbound <c>$NAME</c> result, if it has one and the call succeeded; checks nothing else.</summary>
    internal static void BindOnly(CallStatement statement, CallFrame frame, Outcome outcome, Dictionary<string, long> variables)
    {
        if (statement.Expected is ExpectBind bind && outcome is Outcome.Returned { IsError: false } r)
            variables[bind.Name] = r.Raw;
        BindOutputs(statement, frame, outcome, variables);
    }

    /// <summary>After a successful call, the variables its out-parameter fields bind (<see cref="BindExpr"/>).</summary>
    private static void BindOutputs(CallStatement statement, CallFrame frame, Outcome outcome, Dictionary<string, long> variables)
    {
        if (outcome is not Outcome.Returned { IsError: false })
            return;
        for (var i = 0; i < statement.Args.Count; i++)
        {
            if (statement.Call.Params[i].Kind.BindsOutputs && frame.Output(i) is { } written)
                BindValue.BindAll(frame.Arg(i), written, variables);
        }
    }

    private static IScenarioProcess FindProcess(CallStatement statement, IScenarioTarget target, IReadOnlyDictionary<string, long> variables) =>
        RequireAlive(FindTask(statement.Pid, target, variables));

    /// <summary>The task a <c>[pid E]</c> prefix names (<c>$main</c> without one), alive or not.</summary>
    internal static IScenarioProcess FindTask(Expr? pidExpr, IScenarioTarget target, IReadOnlyDictionary<string, long> variables)
    {
        if (pidExpr is null)
            return target.Main;
        var pid = Number(Evaluate(pidExpr, variables));
        // A pid is an int; a value outside it names no process rather than wrapping to one that exists.
        var process = pid is > 0 and <= int.MaxValue ? target.FindProcess((int)pid) : null;
        return process ?? throw new ScenarioRuntimeException($"no process has pid {pid}");
    }

    private static IScenarioProcess RequireAlive(IScenarioProcess process) => process.IsAlive
        ? process
        : throw new ScenarioRuntimeException($"process {process.Pid} is dead ({Describe(process)})");

    private static string Describe(IScenarioProcess process) => process.KilledBySignal != 0
        ? $"killed by {Signal.Name(process.KilledBySignal)}"
        : $"exited with {process.ExitCode}";

    // The result check: null when the statement did what it said it would, else "expected X, got Y".
    private static string? Check(CallStatement statement, CallFrame frame, Outcome outcome, Dictionary<string, long> variables)
    {
        var unmet = statement.Expected switch
        {
            null or ExpectAnything => null,
            ExpectBind bind => Bind(bind, outcome, variables),
            ExpectErrno e => outcome is Outcome.Returned { IsError: true } r && ErrnoInfo.FromReturn(r.Raw) == e.Errno
                ? null
                : Unmet(Strace.Failure(e.Errno), outcome),
            ExpectSignal s => CheckSignal(s, outcome, variables),
            ExpectValue v => CheckValue(Evaluate(v.Value, variables), outcome)
                ?? (v.Detail is null ? null : CheckDetail(statement, frame, Evaluate(v.Detail, variables))),
            var other => throw new NotSupportedException($"expectation {other.GetType().Name}"),
        };
        if (unmet is not null)
            return unmet;
        if (statement.Expected is null)
        {
            BindOutputs(statement, frame, outcome, variables);
            return null;
        }

        // Out-parameters written as structs are expectations too (getrlimit(RLIMIT_STACK, {rlim_cur=8M}) = 0).
        for (var i = 0; i < statement.Args.Count; i++)
        {
            var param = statement.Call.Params[i];
            if (param.Kind.ExpectedOutput(frame, i) is not { } expected || frame.Output(i) is not { } written || expected.Matches(written))
                continue;
            var shown = expected is StructValue fields ? Project(written, fields) : written;
            return $"{param.Name} expected {param.Kind.Format(expected)}, got {param.Kind.Format(shown)}";
        }
        BindOutputs(statement, frame, outcome, variables);
        return null;
    }

    private static string? Bind(ExpectBind bind, Outcome outcome, Dictionary<string, long> variables)
    {
        if (outcome is not Outcome.Returned { IsError: false } r)
            return $"expected a value for ${bind.Name}, got {Strace.Result(outcome)}";
        variables[bind.Name] = r.Raw;
        return null;
    }

    private static string? CheckSignal(ExpectSignal expected, Outcome outcome, IReadOnlyDictionary<string, long> variables)
    {
        var info = expected.Info is null ? null : (StructValue)Evaluate(expected.Info, variables);
        var met = outcome switch
        {
            Outcome.Signaled s => s.Access.Signal == expected.Signal && (info is null || info.Matches(s.Info)),
            Outcome.Killed k => k.Signal == expected.Signal && info is null,
            _ => false,
        };
        if (met)
            return null;
        var actual = outcome is Outcome.Signaled sig && info is not null
            ? Strace.Siginfo(sig.Access.Signal, Project(sig.Info, info))
            : Strace.Result(outcome);
        return $"expected {Strace.Siginfo(expected.Signal, info)}, got {actual}";
    }

    private static string? CheckValue(ScenarioValue expected, Outcome outcome)
    {
        if (outcome.Value is { } actual && expected.Matches(actual))
            return null;
        if (expected is StructValue fields && outcome.Value is StructValue all)
            return $"expected {Strace.Struct(fields)}, got {Strace.Value(Project(all, fields))}";
        // A number expected from a pointer-returning call prints in hex, as the call's result does.
        var wanted = expected is NumberValue n && outcome is Outcome.Returned { Pointer: true } && n.Value != -1
            ? Strace.Hex(n.Value)
            : Strace.Value(expected);
        return Unmet(wanted, outcome);
    }

    /// <summary>
    /// strace's decoding after poll()'s value: the entries whose revents is not 0, as {fd, revents}, in order. Other
    /// calls' details are not checked.
    /// </summary>
    private static string? CheckDetail(CallStatement statement, CallFrame frame, ScenarioValue expected)
    {
        if (statement.Call.Name != "poll" || frame.Output(0) is not ArrayValue written)
            return null;
        var ready = new ArrayValue(written.Items
            .OfType<StructValue>()
            .Where(e => e["revents"] is NumberValue { Value: not 0 })
            .Select(e => (ScenarioValue)new StructValue([new("fd", e["fd"]!), new("revents", e["revents"]!)]))
            .ToList());
        return expected.Matches(ready)
            ? null
            : $"ready entries expected {PollFdsKind.Instance.Format(expected)}, got {PollFdsKind.Instance.Format(ready)}";
    }

    private static string Unmet(string expected, Outcome outcome) =>
        $"expected {expected}, got {Strace.Result(outcome).TrimStart('\n')}";

    // The actual struct narrowed to the fields an expectation lists, so a mismatch reads side by side.
    private static StructValue Project(ScenarioValue actual, StructValue expected)
    {
        var all = actual as StructValue;
        return new StructValue(expected.Fields
            .Select(f => new KeyValuePair<string, ScenarioValue>(f.Key, all?[f.Key] ?? StringValue.FromText("<absent>")))
            .ToList());
    }

    private void Echo(CallStatement statement, CallFrame frame, Outcome outcome)
    {
        // check runs quietly: formatting every statement for nobody would be most of its time.
        if (output == TextWriter.Null)
            return;
        var prefix = frame.Process == frame.Target.Main ? "" : $"[pid {frame.Process.Pid}] ";
        var line = new StringBuilder(prefix).Append(statement.Call.Name).Append('(');
        for (var i = 0; i < statement.Args.Count; i++)
        {
            if (i > 0)
                line.Append(", ");
            line.Append(statement.Call.Params[i].Kind.FormatArg(frame, i));
        }
        if (outcome is Outcome.Blocked)
        {
            output.WriteLine(line.Append(") <unfinished ...>"));
            return;
        }
        line.Append(") =");
        var result = Strace.Result(outcome);
        if (!result.StartsWith('\n'))
            line.Append(' ');
        output.WriteLine(line.Append(result));
        if (outcome is Outcome.Exited exited)
            output.WriteLine($"{prefix}+++ exited with {exited.Code} +++");
    }

    internal static ScenarioValue Evaluate(Expr expr, IReadOnlyDictionary<string, long> variables) => expr switch
    {
        NumberExpr n => new NumberValue(n.Value),
        SymbolExpr s => new NumberValue(s.Value),
        VarExpr v => new NumberValue(variables.TryGetValue(v.Name, out var value)
            ? value
            : throw new ScenarioRuntimeException($"${v.Name} (column {v.Pos.Column}) is not bound: the statement that binds it failed")),
        NegateExpr n => new NumberValue(unchecked(-Number(Evaluate(n.Operand, variables)))),
        BinaryExpr b => new NumberValue(Apply(b.Op, Number(Evaluate(b.Left, variables)), Number(Evaluate(b.Right, variables)))),
        StringExpr s => new StringValue(s.Bytes),
        NullExpr => NullValue.Instance,
        StructExpr s => new StructValue(s.Fields
            .Select(f => new KeyValuePair<string, ScenarioValue>(f.Name, f.Out is null
                ? Evaluate(f.Value, variables)
                : new InOutValue(Evaluate(f.Value, variables), Evaluate(f.Out, variables))))
            .ToList()),
        AnyExpr => AnyValue.Instance,
        BindExpr b => new BindValue(b.Name),
        ArrayExpr a => new ArrayValue(a.Items.Select(i => Evaluate(i, variables)).ToList()),
        _ => throw new NotSupportedException($"expression {expr.GetType().Name}"),
    };

    private static long Apply(char op, long left, long right) => unchecked(op switch
    {
        '+' => left + right,
        '-' => left - right,
        '|' => left | right,
        '<' when right is >= 0 and < 64 => left << (int)right,
        '<' => throw new ScenarioRuntimeException($"shift count {right} is not in 0..63"),
        _ => throw new NotSupportedException($"operator {op}"),
    });

    private static long Number(ScenarioValue value) => value is NumberValue n
        ? n.Value
        : throw new ScenarioRuntimeException($"{Strace.Value(value)} is not a number");
}
