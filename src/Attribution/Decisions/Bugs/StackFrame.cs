namespace Attribution.Decisions.Bugs;

/// <summary>One frame of a stack trace: the file as the trace wrote it, its line, and the function when known.</summary>
public sealed record StackFrame(string File, int Line, string? Function, int? Column = null);

/// <summary>The frames of a trace, innermost (where the error was raised) first, and the dialect they were read as.</summary>
public sealed record ParsedStackTrace(string? Dialect, IReadOnlyList<StackFrame> Frames);
