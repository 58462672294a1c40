using KelolaPesan.Web;

// `dotnet KelolaPesan.Web.dll create-admin --email a@b.c --name "A" [--password ...]`: the only way to get a
// first admin outside Development, where nothing with a known password is ever created.
var command = args.FirstOrDefault() == AdminCommand.Name ? args[0] : null;
var builder = WebApplication.CreateBuilder(command is null ? args : args[1..]);
builder.AddWebServices();

var app = builder.Build();
await app.InitializeAsync();
if (command is not null)
    return await AdminCommand.RunAsync(app, args[1..]);

app.UseWebPipeline();
await app.RunAsync();
return 0;

public partial class Program;
