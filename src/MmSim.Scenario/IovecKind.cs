using System.Buffers.Binary;

namespace MmSim.Scenario;

/// <summary>
/// An array of struct iovec {void *iov_base; size_t iov_len}, as strace prints it:
/// <c>[{iov_base=$a, iov_len=4K}, {iov_base=$a+8K, iov_len=4K}]</c>. Both fields are inputs. NULL or a number is a
/// pointer passed as it is.
/// </summary>
internal sealed class IovecKind : ParamKind
{
    private const int EntrySize = 16;

    internal override void Check(Expr arg, string param)
    {
        if (arg is NullExpr || arg.IsNumeric)
            return;
        if (arg is not ArrayExpr array)
            throw Mismatch(arg, param, "an array of {iov_base=..., iov_len=...}, NULL or a pointer");
        foreach (var item in array.Items)
        {
            if (item is not StructExpr s)
                throw Mismatch(item, param, "{iov_base=..., iov_len=...}");
            foreach (var field in s.Fields)
            {
                if (field.Name is not ("iov_base" or "iov_len"))
                    throw new ScenarioSyntaxException(field.Value.Pos, $"struct iovec has no field '{field.Name}' (it has iov_base, iov_len)");
            }
        }
    }

    /// <summary>The entries' bytes and the pointer the kernel gets, or the pointer given.</summary>
    public static UserPtr ToPointer(ScenarioValue value, out byte[]? buffer)
    {
        buffer = null;
        switch (value)
        {
            case NumberValue n:
                return UserPtr.At(unchecked((ulong)n.Value));
            case ArrayValue array:
                buffer = new byte[array.Items.Count * EntrySize];
                for (int i = 0; i < array.Items.Count; i++)
                {
                    var entry = (StructValue)array.Items[i];
                    BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(i * EntrySize), Number(entry, "iov_base"));
                    BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(i * EntrySize + 8), Number(entry, "iov_len"));
                }
                return UserPtr.Of(buffer);
            default:
                return UserPtr.Null;
        }
    }

    private static long Number(StructValue entry, string field) => entry[field] switch
    {
        NumberValue n => n.Value,
        null => throw new ScenarioRuntimeException($"struct iovec needs {field}"),
        var other => throw new ScenarioRuntimeException($"iovec.{field} must be a number, not {Strace.Value(other)}"),
    };

    internal override string Format(ScenarioValue value) => value switch
    {
        ArrayValue a => $"[{string.Join(", ", a.Items.Select(item => item is StructValue s
            ? $"{{{string.Join(", ", s.Fields.Select(f => f.Key == "iov_base" && f.Value is NumberValue n ? $"iov_base={Strace.Hex(n.Value)}" : Strace.Field(f.Key, f.Value)))}}}"
            : Strace.Value(item)))}]",
        NumberValue n => Strace.Pointer(n.Value),
        _ => Strace.Value(value),
    };
}
