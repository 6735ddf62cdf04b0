#include "CurlApi.h"

#include <QString>

#include <dlfcn.h>
#include <mutex>

namespace pga::repo::s3 {

namespace {

template <class F>
bool bind(void *lib, const char *name, F &out)
{
    out = reinterpret_cast<F>(::dlsym(lib, name));
    return out != nullptr;
}

} // namespace

Result<const CurlApi *> curlApi()
{
    static CurlApi api;
    static QString failure;
    static std::once_flag once;
    std::call_once(once, [] {
        void *lib = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            failure = QString::fromLocal8Bit(::dlerror());
            return;
        }
        const bool ok = bind(lib, "curl_global_init", api.global_init) && bind(lib, "curl_easy_init", api.easy_init)
                        && bind(lib, "curl_easy_cleanup", api.easy_cleanup) && bind(lib, "curl_easy_reset", api.easy_reset)
                        && bind(lib, "curl_easy_setopt", api.easy_setopt) && bind(lib, "curl_easy_perform", api.easy_perform)
                        && bind(lib, "curl_easy_getinfo", api.easy_getinfo) && bind(lib, "curl_easy_strerror", api.easy_strerror)
                        && bind(lib, "curl_slist_append", api.slist_append) && bind(lib, "curl_slist_free_all", api.slist_free_all);
        if (!ok) {
            failure = QStringLiteral("libcurl.so.4 lacks %1").arg(QString::fromLocal8Bit(::dlerror()));
            return;
        }
        api.global_init(CURL_GLOBAL_DEFAULT);
    });
    if (!failure.isEmpty())
        return Error(Error::Code::Unsupported,
                     QStringLiteral("S3 repositories need libcurl 7.75 or newer: install it (Debian: apt install libcurl4)."), failure);
    return &api;
}

} // namespace pga::repo::s3
