package io.storagecontroller.http;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised outside the handlers (by the servlet container or filters) also answer {@code
 * {"msg"}}.
 */
@RestController
public class JsonErrorController implements ErrorController {
  @RequestMapping("/error")
  ResponseEntity<ErrorBody> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status =
        code instanceof Integer c && HttpStatus.resolve(c) != null
            ? HttpStatus.valueOf(c)
            : HttpStatus.INTERNAL_SERVER_ERROR;
    Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
    String msg =
        message instanceof String m && !m.isBlank() ? m : status.getReasonPhrase().toLowerCase();
    return ErrorBody.response(status, msg);
  }
}
