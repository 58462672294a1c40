using KelolaPesan.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace KelolaPesan.Data;

public class SqlServerKelolaDbContext(DbContextOptions<SqlServerKelolaDbContext> options, ITenantContext tenant)
    : KelolaDbContext(options, tenant);
