using Fangkong.Cli.Commands;

return await CommandLine.RunAsync(args);
