namespace MmSim.Scenario;

/// <summary>
/// An argument that points at an array of fixed-size C structs, written as strace prints it (<c>[{a=1, b=2}, ...]</c>),
/// or NULL, or a raw pointer: the fields it may name, the bytes each entry takes, and how an entry is encoded.
/// </summary>
internal abstract class StructArrayKind(string structName, int entrySize, params string[] fields) : ParamKind
{
    internal override void Check(Expr arg, string param)
    {
        var shape = $"{{{string.Join(", ", fields.Take(2).Select(f => f + "=..."))}}}";
        if (arg is NullExpr || arg.IsNumeric)
            return;
        if (arg is not ArrayExpr array)
            throw Mismatch(arg, param, $"an array of {shape}, NULL or a pointer");
        foreach (var item in array.Items)
        {
            if (item is not StructExpr s)
                throw Mismatch(item, param, shape);
            foreach (var field in s.Fields)
            {
                if (Array.IndexOf(fields, field.Name) < 0)
                    throw new ScenarioSyntaxException(field.Value.Pos, $"struct {structName} has no field '{field.Name}' (it has {string.Join(", ", fields)})");
            }
        }
    }

    /// <summary>The entries' bytes and the pointer the kernel gets, or the pointer given, or NULL.</summary>
    public UserPtr ToPointer(ScenarioValue value, out byte[]? buffer)
    {
        buffer = null;
        switch (value)
        {
            case NumberValue n:
                return UserPtr.At(unchecked((ulong)n.Value));
            case ArrayValue array:
                buffer = new byte[array.Items.Count * entrySize];
                for (int i = 0; i < array.Items.Count; i++)
                    Encode((StructValue)array.Items[i], buffer.AsSpan(i * entrySize, entrySize));
                return UserPtr.Of(buffer);
            default:
                return UserPtr.Null;
        }
    }

    /// <summary>The input fields of one entry into its bytes.</summary>
    private protected abstract void Encode(StructValue entry, Span<byte> into);

    /// <summary>A field the kernel reads: a number, or a runtime error naming it.</summary>
    private protected long Number(StructValue entry, string field) => entry[field] switch
    {
        NumberValue n => n.Value,
        null => throw new ScenarioRuntimeException($"struct {structName} needs {field}"),
        var other => throw new ScenarioRuntimeException($"{structName}.{field} must be a number, not {Strace.Value(other)}"),
    };
}
