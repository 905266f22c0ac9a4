using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SafetyPlan.Tests.Infrastructure;

/// <summary>
/// Every log line the test host writes (at its configured levels, and the HTTP client's at every level), formatted as
/// written, the exception's message included; the last 50,000 are kept. For tests that prove something never reaches a log.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    private void Write(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > 50_000) _lines.TryDequeue(out _);
    }

    public void Dispose() { }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Write($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
