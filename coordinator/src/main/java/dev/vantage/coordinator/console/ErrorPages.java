package dev.vantage.coordinator.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A refusal or failure answered to a browser: an HTML page with the status and what to do. */
public final class ErrorPages {
    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance error(Frame frame, int status, String title, String message);
    }

    private ErrorPages() {
    }

    public static Response of(int status, String message) {
        String title = switch (status) {
            case 400 -> "Not accepted";
            case 401 -> "Not signed in";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            default -> status >= 500 ? "Something went wrong" : "Refused";
        };
        String html = Templates.error(Frame.anonymous(), status, title, message).render();
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).entity(html)
                .header("Cache-Control", "no-store").build();
    }
}
