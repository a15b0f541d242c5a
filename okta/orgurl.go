package okta

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// OrgURLOptions relax ParseOrgURL.
type OrgURLOptions struct {
	// AllowHTTP accepts loopback hosts (localhost, 127.0.0.0/8, [::1]) over
	// http:// or https:// on any port, for local fakes. It never relaxes the
	// rules for any other host.
	AllowHTTP bool
	// CustomDomains are hosts accepted in addition to Okta's org domains
	// (Okta custom URL domains such as "login.example.com"). A host must
	// match an entry exactly (ignoring case); subdomains are not implied.
	CustomDomains []string
}

// OrgDomainSuffixes returns the Okta domains whose org subdomains
// ParseOrgURL accepts: an org host is exactly one label (the org's
// subdomain) followed by one of these. It returns a copy; the list itself
// cannot be changed at run time.
func OrgDomainSuffixes() []string { return append([]string(nil), orgDomainSuffixes...) }

var orgDomainSuffixes = []string{
	"okta.com",
	"oktapreview.com",
	"okta-emea.com",
	"okta-gov.com",
	"okta.mil",
	"okta-miltest.com",
	"trex-gov.com",
}

// ErrInvalidOrgURL is matched (errors.Is) by every error ParseOrgURL returns.
var ErrInvalidOrgURL = errors.New("okta: invalid org URL")

// OrgURLError says which rule an org URL broke. It never contains the input
// itself (which may hold credentials pasted by mistake), at most the host
// name once it is known to be a plain DNS name.
type OrgURLError struct {
	Rule string
}

func (e *OrgURLError) Error() string { return "okta: org URL rejected: " + e.Rule }

// Is makes errors.Is(err, ErrInvalidOrgURL) true.
func (e *OrgURLError) Is(target error) bool { return target == ErrInvalidOrgURL }

func orgURLErr(format string, args ...any) error {
	return &OrgURLError{Rule: fmt.Sprintf(format, args...)}
}

// ParseOrgURL validates an org URL or bare host and returns its base URL
// (scheme://host, with no path). It is the SSRF guard for every outbound
// request: Client sends requests only to the URL it returns.
//
// Accepted: "dev-123456.okta.com", "https://dev-123456.okta.com",
// "https://dev-123456.okta.com/", the same with ":443", hosts in
// opts.CustomDomains, and with opts.AllowHTTP, loopback hosts over http or
// https on any port.
//
// Rejected, each with an error naming the rule: other schemes; plain http to
// anything but loopback (with AllowHTTP); user info; any path but "/";
// queries and fragments; ports other than 443; IP literals in any notation
// (dotted, decimal, octal, hex, IPv6); percent-encoding, backslashes,
// whitespace, control and non-ASCII characters anywhere (which rules out
// Unicode look-alikes); punycode ("xn--") labels in Okta org hosts; empty
// labels and trailing dots; "{yourOktaDomain}"-style placeholders; hosts that
// are not one label under an Okta org domain (OrgDomainSuffixes) nor a
// configured custom domain; and admin-console hosts ("acme-admin.okta.com").
func ParseOrgURL(raw string, opts OrgURLOptions) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, orgURLErr("it is empty; give the org's host, e.g. dev-123456.okta.com")
	}
	if len(raw) > 2048 {
		return nil, orgURLErr("it is too long")
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c >= 0x80:
			return nil, orgURLErr("it contains non-ASCII characters (Unicode look-alikes are not accepted; use the org's ASCII host name)")
		case c < 0x20 || c == 0x7f:
			return nil, orgURLErr("it contains control characters")
		case c == ' ' || c == '\t':
			return nil, orgURLErr("it contains whitespace")
		case c == '%':
			return nil, orgURLErr("it contains percent-encoding")
		case c == '\\':
			return nil, orgURLErr("it contains a backslash")
		case c == '{' || c == '}':
			return nil, orgURLErr("it contains a placeholder such as {yourOktaDomain}; give the org's real host")
		case c == '@':
			return nil, orgURLErr("it contains user info ('@'); give only the host, e.g. https://dev-123456.okta.com")
		}
	}

	withScheme := raw
	if i := strings.Index(raw, "://"); i < 0 {
		withScheme = "https://" + raw
	} else if !isSchemeName(raw[:i]) {
		return nil, orgURLErr("it does not start with a valid scheme")
	}
	u, err := url.Parse(withScheme)
	if err != nil {
		return nil, orgURLErr("it is not a valid URL")
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" && scheme != "http" {
		return nil, orgURLErr("scheme %q is not allowed; Okta is reached over https", scheme)
	}
	switch {
	case u.Opaque != "":
		return nil, orgURLErr("it is not a URL of the form https://host")
	case u.User != nil:
		return nil, orgURLErr("it contains user info; give only the host")
	case u.RawQuery != "" || u.ForceQuery || strings.Contains(raw, "?"):
		return nil, orgURLErr("it has a query; give only the host")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return nil, orgURLErr("it has a fragment ('#'); give only the host")
	case u.Path != "" && u.Path != "/":
		return nil, orgURLErr("it has a path; give only the host (the API paths are added by the client)")
	case u.Host == "":
		return nil, orgURLErr("it has no host")
	}

	host, port := u.Hostname(), u.Port()
	if strings.HasSuffix(u.Host, ":") {
		return nil, orgURLErr("it has an empty port")
	}
	host = strings.ToLower(host)
	if host == "" {
		return nil, orgURLErr("it has no host")
	}

	if opts.AllowHTTP && isLoopbackHost(host) {
		if port != "" && !isPort(port) {
			return nil, orgURLErr("port is not a number between 1 and 65535")
		}
		if ip := net.ParseIP(host); ip != nil {
			host = ip.String() // canonical: [::01] and [0::1] are [::1]
		}
		out := &url.URL{Scheme: scheme, Host: hostPort(host, port)}
		if port == "443" && scheme == "https" {
			out.Host = hostPort(host, "")
		}
		return out, nil
	}

	if scheme == "http" && !opts.AllowHTTP {
		return nil, orgURLErr("http:// is not allowed; Okta is reached over https (http:// is only for local fakes on loopback, and only when the operator starts okta-mcp with --allow-http or OKTA_MCP_ALLOW_HTTP=true)")
	}
	if strings.Contains(u.Host, "[") || net.ParseIP(host) != nil || looksNumeric(host) {
		return nil, orgURLErr("the host is an IP address; give the org's DNS name, e.g. dev-123456.okta.com")
	}
	if err := checkDNSName(host); err != nil {
		return nil, err
	}
	if scheme == "http" {
		return nil, orgURLErr("http:// is allowed only for loopback hosts (localhost, 127.0.0.1, [::1]); use https://")
	}
	if port != "" && port != "443" {
		return nil, orgURLErr("port %q is not allowed; Okta orgs are served on 443", port)
	}

	if custom, err := isCustomDomain(host, opts.CustomDomains); err != nil {
		return nil, err
	} else if custom {
		return &url.URL{Scheme: "https", Host: host}, nil
	}
	for _, suffix := range orgDomainSuffixes {
		label, ok := strings.CutSuffix(host, "."+suffix)
		if !ok {
			continue
		}
		switch {
		case label == "" || strings.Contains(label, "."):
			return nil, orgURLErr("host %q is not an org host: it must be one label under %s, e.g. dev-123456.%s", host, suffix, suffix)
		case strings.HasSuffix(label, "-admin"):
			return nil, orgURLErr("host %q is the Admin Console, not the org's API host; drop \"-admin\"", host)
		case strings.HasPrefix(label, "xn--"):
			return nil, orgURLErr("host %q has a punycode (xn--) label; Okta org subdomains are plain ASCII", host)
		}
		return &url.URL{Scheme: "https", Host: host}, nil
	}
	return nil, orgURLErr("host %q is not an Okta org domain (a subdomain of %s) nor a configured custom domain",
		host, strings.Join(orgDomainSuffixes, ", "))
}

// isSchemeName reports whether s is an RFC 3986 scheme.
func isSchemeName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

// checkDNSName requires a plain LDH host name: labels of 1-63 letters,
// digits and hyphens, not starting or ending with a hyphen, no empty labels
// (which also rules out a trailing dot), and an alphabetic top-level label.
func checkDNSName(host string) error {
	if len(host) > 253 {
		return orgURLErr("the host name is too long")
	}
	labels := strings.Split(host, ".")
	for _, l := range labels {
		if l == "" {
			return orgURLErr("the host has an empty label (a leading, trailing or doubled dot)")
		}
		if len(l) > 63 {
			return orgURLErr("the host has a label longer than 63 characters")
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				return orgURLErr("the host contains a character that is not allowed in a host name")
			}
		}
		if l[0] == '-' || l[len(l)-1] == '-' {
			return orgURLErr("the host has a label that starts or ends with a hyphen")
		}
	}
	if len(labels) < 2 {
		// Not echoed: a single label may be a token pasted by mistake.
		return orgURLErr("the host is a single label, not an Okta org domain (a subdomain of %s) nor a configured custom domain",
			strings.Join(orgDomainSuffixes, ", "))
	}
	tld := labels[len(labels)-1]
	for i := 0; i < len(tld); i++ {
		if !('a' <= tld[i] && tld[i] <= 'z') && !strings.HasPrefix(tld, "xn--") {
			return orgURLErr("the host's top-level label is not alphabetic (numeric hosts are IP addresses)")
		}
	}
	return nil
}

// looksNumeric catches the IPv4 notations that net.ParseIP rejects but some
// resolvers accept: a single decimal number (2130706433), octal (0177.1),
// hex (0x7f.1) and shortened forms (127.1). A host whose labels are all
// numbers or 0x-hex numbers is treated as an address.
func looksNumeric(host string) bool {
	for _, l := range strings.Split(host, ".") {
		if l == "" {
			continue
		}
		digits := l
		if strings.HasPrefix(l, "0x") {
			digits = l[2:]
		}
		for i := 0; i < len(digits); i++ {
			c := digits[i]
			isHex := '0' <= c && c <= '9' || strings.HasPrefix(l, "0x") && 'a' <= c && c <= 'f'
			if !isHex {
				return false
			}
		}
	}
	return true
}

// isLoopbackHost reports whether host (lower case, without brackets) is
// localhost, an IPv4 address in 127.0.0.0/8 in dotted-decimal form, or ::1.
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	if strings.Contains(host, ":") {
		return ip.Equal(net.IPv6loopback) && ip.To4() == nil
	}
	v4 := ip.To4()
	return v4 != nil && v4[0] == 127
}

func isPort(p string) bool {
	if len(p) == 0 || len(p) > 5 || p[0] == '0' {
		return false
	}
	n := 0
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
		n = n*10 + int(p[i]-'0')
	}
	return n >= 1 && n <= 65535
}

func hostPort(host, port string) string {
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port == "" {
		return host
	}
	return host + ":" + port
}

// isCustomDomain reports whether host is one of the configured custom
// domains; a malformed entry is an error (the configuration is wrong).
func isCustomDomain(host string, domains []string) (bool, error) {
	for _, d := range domains {
		d = strings.ToLower(strings.TrimSpace(d))
		if d == "" {
			continue
		}
		if err := checkCustomDomain(d); err != nil {
			return false, err
		}
		if d == host {
			return true, nil
		}
	}
	return false, nil
}

func checkCustomDomain(d string) error {
	if !isPrintableASCII(d) || strings.ContainsAny(d, "/:@%\\?#[]{}") || net.ParseIP(d) != nil || looksNumeric(d) {
		return orgURLErr("a configured custom domain is not a plain host name (give hosts like login.example.com)")
	}
	if err := checkDNSName(d); err != nil {
		return orgURLErr("a configured custom domain is not a valid host name (%s)", err.(*OrgURLError).Rule)
	}
	return nil
}
