#pragma once

#include "core/Result.h"

#include <curl/curl.h>

namespace pga::repo::s3 {

// libcurl, loaded with dlopen the first time an s3:// repository is used. pgarchivist-cli runs once per WAL file;
// linking libcurl (and its TLS, LDAP, SSH and IDN libraries) would make every POSIX archive-push pay for loading it.
struct CurlApi {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)();
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    curl_slist *(*slist_append)(curl_slist *, const char *);
    void (*slist_free_all)(curl_slist *);
};

// The loaded library (initialized once), or an error that says what to install.
Result<const CurlApi *> curlApi();

} // namespace pga::repo::s3
