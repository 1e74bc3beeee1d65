namespace Attribution.Sessions;

/// <summary>What <see cref="JsonlLineReader.ReadAsync"/> found.</summary>
public enum LineStatus
{
    /// <summary>A complete line (its text excludes the newline).</summary>
    Line,

    /// <summary>A complete line longer than the cap: consumed and skipped without being held in memory.</summary>
    Oversized,

    /// <summary>Bytes after the last newline (in <see cref="LineRead.Text"/>, empty when too long): a line still being written, or a body's last line.</summary>
    Incomplete,

    /// <summary>Nothing more.</summary>
    End,
}

/// <summary>One line read from a JSONL stream. <see cref="Text"/> is valid until the next read.</summary>
public readonly record struct LineRead(LineStatus Status, ReadOnlyMemory<byte> Text, long StartOffset, long EndOffset);

/// <summary>
/// Reads newline-delimited records from a stream with bounded memory: the buffer grows up to the line cap,
/// and a longer line is skipped by scanning for its newline. Reads at most <c>limit</c> bytes so a file
/// that grows while it is read is only read up to the size seen when reading started.
/// </summary>
/// <param name="initialBufferBytes">The buffer's first size (it grows to the longest line): small when only a few lines are wanted.</param>
public sealed class JsonlLineReader(Stream stream, long startOffset, long limit, int maxLineBytes, int initialBufferBytes = 64 * 1024)
{
    private byte[] _buffer = new byte[Math.Min(Math.Max(initialBufferBytes, 1), maxLineBytes + 1)];
    private int _start;
    private int _end;
    private long _bufferOffset = startOffset;
    private long _remaining = limit;
    private bool _eof;

    public async ValueTask<LineRead> ReadAsync(CancellationToken cancellationToken)
    {
        var scanFrom = _start;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', scanFrom, _end - scanFrom);
            if (newline >= 0)
            {
                var lineStart = _bufferOffset + _start;
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == (byte)'\r')
                {
                    length--;
                }

                var text = new ReadOnlyMemory<byte>(_buffer, _start, length);
                _start = newline + 1;
                return new LineRead(LineStatus.Line, text, lineStart, _bufferOffset + _start);
            }

            scanFrom = _end;
            if (_eof)
            {
                return _start < _end
                    ? new LineRead(LineStatus.Incomplete, new ReadOnlyMemory<byte>(_buffer, _start, _end - _start), _bufferOffset + _start, _bufferOffset + _end)
                    : new LineRead(LineStatus.End, default, _bufferOffset + _end, _bufferOffset + _end);
            }

            if (_end - _start > maxLineBytes)
            {
                return await SkipOversizedAsync(cancellationToken);
            }

            var scanned = scanFrom - _start;
            MakeRoom();
            scanFrom = _start + scanned;
            if (!await FillAsync(cancellationToken))
            {
                _eof = true;
            }
        }
    }

    private void MakeRoom()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            var size = (int)Math.Min((long)maxLineBytes + 1, Math.Max(_buffer.Length * 2L, 4096));
            Array.Resize(ref _buffer, Math.Max(size, _buffer.Length + 1));
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_remaining <= 0)
        {
            return false;
        }

        var want = (int)Math.Min(_buffer.Length - _end, _remaining);

        // Local files are read synchronously: an async file read is a thread-pool hop per buffer, which costs
        // more than the read itself when the machine is busy. Network bodies are read asynchronously.
        var read = stream is FileStream
            ? stream.Read(_buffer, _end, want)
            : await stream.ReadAsync(_buffer.AsMemory(_end, want), cancellationToken);
        if (read <= 0)
        {
            return false;
        }

        _end += read;
        _remaining -= read;
        return true;
    }

    private async ValueTask<LineRead> SkipOversizedAsync(CancellationToken cancellationToken)
    {
        var lineStart = _bufferOffset + _start;
        while (true)
        {
            // Drop what is buffered and keep scanning for the newline that ends the long line.
            _bufferOffset += _end;
            _start = 0;
            _end = 0;
            if (_buffer.Length > 64 * 1024)
            {
                _buffer = new byte[64 * 1024];
            }

            if (!await FillAsync(cancellationToken))
            {
                _eof = true;
                return new LineRead(LineStatus.Incomplete, default, lineStart, _bufferOffset);
            }

            var newline = Array.IndexOf(_buffer, (byte)'\n', 0, _end);
            if (newline >= 0)
            {
                _start = newline + 1;
                return new LineRead(LineStatus.Oversized, default, lineStart, _bufferOffset + _start);
            }
        }
    }
}
