namespace Attribution.Common;

/// <summary>An authenticated payload lacks fields its event needs (answered 400 naming the fields; nothing is stored).</summary>
public sealed class PayloadShapeException : Exception
{
    public PayloadShapeException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public PayloadShapeException(IDictionary<string, string[]> errors)
        : base("The payload does not have the shape its event needs: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}")))
    {
        Errors = errors;
    }

    public IDictionary<string, string[]> Errors { get; }
}
